import type { BalanceQuery } from "../../domain/lookup-query.ts";
import type { Result } from "../../domain/result.ts";
import type { Access } from "../shared/actor.ts";
import { type LookupDeps, type LookupError, runLookup } from "./run-lookup.ts";

/**
 * `GET /api/businesses/:businessId/balance`: Daraja's Account Balance of the business's own shortcode, with its
 * payment config's initiator (see runLookup). The query comes back completed (with the balance) or failed when
 * the result came within the wait, else pending: `GET /api/balance-queries/:id` shows it once it comes.
 */
export class CheckBalance {
  constructor(private readonly deps: LookupDeps) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
  }): Promise<Result<BalanceQuery, LookupError>> {
    return runLookup(
      this.deps,
      input,
      (base) => ({
        id: base.id,
        businessId: base.businessId,
        tokenHash: base.tokenHash,
        kind: "account_balance",
        shortcode: base.shortcode,
        status: "pending",
        balance: null,
        resultCode: null,
        failureReason: null,
        createdAt: base.createdAt,
        completedAt: null,
      }),
      (query) => (query.kind === "account_balance" ? query : null),
      (account, urls) => this.deps.gateway.accountBalance({ account, ...urls }),
    );
  }
}
