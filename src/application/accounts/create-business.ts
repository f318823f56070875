import { Business } from "../../domain/business.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

export type CreateBusinessInput = { readonly ownerId: string; readonly name: string };

/** The user owns as many businesses as one may (MAX_BUSINESSES_PER_USER): nothing was created. */
export type BusinessLimitReached = { readonly type: "business_limit_reached"; readonly max: number };

/**
 * A signed-in user opens another business, up to `maxBusinessesPerUser` owned businesses, so that the
 * per-business push limits cannot be multiplied. The count and the insert run under a lock on the owner.
 */
export class CreateBusiness {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly maxBusinessesPerUser: number;
    },
  ) {}

  async execute(input: CreateBusinessInput): Promise<Result<Business, InvalidInput | BusinessLimitReached>> {
    const business = Business.create({
      id: this.deps.ids.next(),
      ownerId: input.ownerId,
      name: input.name,
      createdAt: this.deps.clock.now(),
    });
    const max = this.deps.maxBusinessesPerUser;
    return this.deps.uow.run(async (r) => {
      if ((await r.businesses.countOwnedBy(input.ownerId, { lock: true })) >= max) {
        return err({ type: "business_limit_reached" as const, max });
      }
      await r.businesses.add(business);
      return ok(business);
    });
  }
}
