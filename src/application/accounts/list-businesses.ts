import type { Business } from "../../domain/business.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

/** The businesses a user owns, newest first. */
export class ListBusinesses {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses"> }) {}

  execute(input: { readonly ownerId: string }): Promise<Business[]> {
    return this.deps.uow.run((repositories) => repositories.businesses.listByOwner(input.ownerId));
  }
}
