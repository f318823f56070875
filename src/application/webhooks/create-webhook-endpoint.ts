import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import { type EventSelection, WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { WebhookSecretGenerator, WebhookTransport } from "../ports/webhook-transport.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** How many endpoints one business may have. */
export const MAX_ENDPOINTS_PER_BUSINESS = 16;

/** A new endpoint for a business the user owns, with a fresh secret: shown this once, stored sealed. */
export class CreateWebhookEndpoint {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "webhookEndpoints">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly secretBox: SecretBox;
      readonly webhookSecrets: WebhookSecretGenerator;
      readonly webhookTransport: WebhookTransport;
    },
  ) {}

  async execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly url: string;
    readonly events: EventSelection;
    readonly description: string | null;
  }): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }, NotFound | Forbidden | InvalidInput>> {
    const refusal = this.deps.webhookTransport.refusal(input.url);
    if (refusal !== null) {
      return err(invalid("url", refusal));
    }
    const secret = this.deps.webhookSecrets.generate();
    const sealed = await this.deps.secretBox.seal(
      secret,
      secretBinding(input.businessId, SECRET_FIELDS.webhookSecret),
    );
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId, { lock: true });
      if (!business.ok) {
        return business;
      }
      if ((await r.webhookEndpoints.listByBusiness(business.value.id)).length >= MAX_ENDPOINTS_PER_BUSINESS) {
        return err(
          invalid("url", `a business may have at most ${MAX_ENDPOINTS_PER_BUSINESS} webhook endpoints`),
        );
      }
      const endpoint = WebhookEndpoint.create({
        id: this.deps.ids.next(),
        businessId: business.value.id,
        url: input.url,
        events: input.events,
        description: input.description,
        secret: sealed,
        createdAt: this.deps.clock.now(),
      });
      await r.webhookEndpoints.add(endpoint);
      return ok({ endpoint, secret });
    });
  }
}
