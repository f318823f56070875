import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Clock } from "../ports/clock.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** An owner revokes an API key: it is refused from the next request on, on every instance (keys are never cached). */
export class RevokeApiKey {
  constructor(
    private readonly deps: { readonly uow: UnitOfWork<"businesses" | "apiKeys">; readonly clock: Clock },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly apiKeyId: string;
  }): Promise<Result<void, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      return (await r.apiKeys.revoke(business.value.id, input.apiKeyId, this.deps.clock.now()))
        ? ok(undefined)
        : err(notFound("API key"));
    });
  }
}
