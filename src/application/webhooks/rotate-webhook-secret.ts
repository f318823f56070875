import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { Clock } from "../ports/clock.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { WebhookSecretGenerator } from "../ports/webhook-transport.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { ownedEndpoint } from "./owned-endpoint.ts";

/** A new secret for an endpoint, shown this once; the old one keeps signing beside it for 24 hours. */
export class RotateWebhookSecret {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "webhookEndpoints">;
      readonly clock: Clock;
      readonly secretBox: SecretBox;
      readonly webhookSecrets: WebhookSecretGenerator;
    },
  ) {}

  async execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly endpointId: string;
  }): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }, NotFound | Forbidden | InvalidInput>> {
    const secret = this.deps.webhookSecrets.generate();
    const sealed = await this.deps.secretBox.seal(
      secret,
      secretBinding(input.businessId, SECRET_FIELDS.webhookSecret),
    );
    return this.deps.uow.run(async (r) => {
      const found = await ownedEndpoint(r, input.access, input.businessId, input.endpointId, { lock: true });
      if (!found.ok) {
        return found;
      }
      const rotated = found.value.rotate(sealed, this.deps.clock.now());
      await r.webhookEndpoints.update(rotated);
      return ok({ endpoint: rotated, secret });
    });
  }
}
