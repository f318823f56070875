import type { LookupKind, LookupQuery } from "../../domain/lookup-query.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

const ENTITY: Record<LookupKind, string> = {
  transaction_status: "status query",
  account_balance: "balance query",
};

/**
 * `GET /api/status-queries/:id` and `GET /api/balance-queries/:id`: a look-up as it now stands. A query of a
 * business the caller is not a member of, or of the other kind, is `not_found`, exactly like a missing one.
 */
export class GetLookupQuery {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"lookupQueries"> }) {}

  async execute(input: {
    readonly access: Access;
    readonly id: string;
    readonly kind: LookupKind;
  }): Promise<Result<LookupQuery, NotFound | Forbidden>> {
    const query = await this.deps.uow.read((r) => r.lookupQueries.findById(input.id));
    if (query === null || query.kind !== input.kind) {
      return err(notFound(ENTITY[input.kind]));
    }
    const allowed = authorizeResource(input.access, query.businessId, ENTITY[input.kind]);
    return allowed.ok ? ok(query) : allowed;
  }
}
