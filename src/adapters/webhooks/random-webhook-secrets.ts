import { randomBytes } from "node:crypto";
import type { WebhookSecretGenerator } from "../../application/ports/webhook-transport.ts";

/** `whsec_` and the base64 of 32 random bytes (Standard Webhooks asks for 24 to 64). */
export class RandomWebhookSecrets implements WebhookSecretGenerator {
  generate(): string {
    return `whsec_${randomBytes(32).toString("base64")}`;
  }
}
