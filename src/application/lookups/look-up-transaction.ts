import type { StatusQuery } from "../../domain/lookup-query.ts";
import type { Result } from "../../domain/result.ts";
import type { Access } from "../shared/actor.ts";
import { type LookupDeps, type LookupError, runLookup } from "./run-lookup.ts";

/**
 * `GET /api/businesses/:businessId/transactions/:receipt`: Daraja's Transaction Status of one M-Pesa receipt,
 * asked about the business's own shortcode with its payment config's initiator (see runLookup). The query comes
 * back completed (with the transaction) or failed (with M-Pesa's reason) when the result came within the wait,
 * else pending: `GET /api/status-queries/:id` shows it once it comes.
 */
export class LookUpTransaction {
  constructor(private readonly deps: LookupDeps) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    /** Upper-cased, checked at the edge (RECEIPT_PATTERN). */
    readonly receipt: string;
  }): Promise<Result<StatusQuery, LookupError>> {
    return runLookup(
      this.deps,
      input,
      (base) => ({
        id: base.id,
        businessId: base.businessId,
        tokenHash: base.tokenHash,
        kind: "transaction_status",
        receipt: input.receipt,
        status: "pending",
        transaction: null,
        resultCode: null,
        failureReason: null,
        createdAt: base.createdAt,
        completedAt: null,
      }),
      (query) => (query.kind === "transaction_status" ? query : null),
      (account, urls, query) =>
        this.deps.gateway.transactionStatus({
          account,
          originatorConversationId: query.id,
          transactionId: query.receipt,
          ...urls,
        }),
    );
  }
}
