import type { Business } from "../../domain/business.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** One business the caller belongs to; any other is `not_found`, exactly like a missing one. */
export class GetBusiness {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
  }): Promise<Result<Business, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read((r) => accessibleBusiness(r, input.access, input.businessId));
  }
}
