import type { ApiKeyScope } from "../../domain/api-key-scope.ts";
import { DEFAULT_API_KEY_SCOPES } from "../../domain/api-key-scope.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { AccessSecrets } from "../ports/access-secrets.ts";
import type { ApiKeyRecord } from "../ports/api-key-repository.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import { type Access, personId } from "../shared/actor.ts";
import { API_KEY_LOOKUP_LENGTH, API_KEY_PREFIX_LENGTH } from "../shared/api-key-format.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/**
 * An owner creates an API key for the business: `sk_live_…` on production, `sk_test_…` elsewhere. The secret is
 * returned this once and stored only as its SHA-256; the default scopes read and charge (DEFAULT_API_KEY_SCOPES).
 */
export class CreateApiKey {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "apiKeys">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly secrets: AccessSecrets;
      readonly liveKeys: boolean;
    },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly name: string;
    readonly scopes?: readonly ApiKeyScope[] | null;
  }): Promise<Result<{ apiKey: ApiKeyRecord; secret: string }, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const { secret, hash } = this.deps.secrets.newApiKey(this.deps.liveKeys);
      const apiKey: ApiKeyRecord = {
        id: this.deps.ids.next(),
        businessId: business.value.id,
        name: input.name,
        prefix: secret.slice(0, API_KEY_PREFIX_LENGTH),
        lookup: secret.slice(0, API_KEY_LOOKUP_LENGTH),
        secretHash: hash,
        scopes: [...(input.scopes ?? DEFAULT_API_KEY_SCOPES)],
        createdBy: personId(input.access.actor),
        createdAt: this.deps.clock.now(),
        lastUsedAt: null,
      };
      await r.apiKeys.add(apiKey);
      return ok({ apiKey, secret });
    });
  }
}
