import type {
  RefundRepository,
  RefundStatusQueryCriteria,
} from "../../application/ports/refund-repository.ts";
import { Refund, type RefundState } from "../../domain/refund.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { assertUnique, insertRow, replaceRow } from "./table-helpers.ts";

/** Refunds in memory. Transactions run one at a time here, so a receipt's lock has nothing to wait for. */
export class InMemoryRefundRepository implements RefundRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async lockReceipt(): Promise<void> {
    // Nothing to wait for: in-memory transactions never run side by side.
  }

  async sumHeldByReceipt(businessId: string, receipt: string): Promise<number> {
    let total = 0;
    for (const row of this.tables.refunds.values()) {
      if (row.businessId === businessId && row.originalReceipt === receipt && row.status !== "failed") {
        total += row.amount.value;
      }
    }
    return total;
  }

  async add(refund: Refund): Promise<void> {
    const row = refund.snapshot();
    this.assertUniques(row);
    insertRow(this.tables.refunds, row, "refunds");
  }

  async update(refund: Refund): Promise<void> {
    const row = refund.snapshot();
    this.assertUniques(row);
    replaceRow(this.tables.refunds, row, "Refund");
  }

  async findById(id: string): Promise<Refund | null> {
    const row = this.tables.refunds.get(id);
    return row === undefined ? null : Refund.restore(row);
  }

  async findByPayoutId(payoutId: string): Promise<Refund | null> {
    return this.findWhere((row) => row.payoutId === payoutId);
  }

  async findByCallbackTokenHash(hash: string): Promise<Refund | null> {
    return this.findWhere((row) => row.callbackTokenHash === hash);
  }

  async findByStatusTokenHash(hash: string): Promise<Refund | null> {
    return this.findWhere((row) => row.statusTokenHash === hash);
  }

  async listByReceipt(businessId: string, receipt: string): Promise<Refund[]> {
    return [...this.tables.refunds.values()]
      .filter((row) => row.businessId === businessId && row.originalReceipt === receipt)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .map((row) => Refund.restore(row));
  }

  async claimForStatusQuery(criteria: RefundStatusQueryCriteria): Promise<Refund[]> {
    const { createdBefore, createdAfter, queriedBefore, limit } = criteria;
    return [...this.tables.refunds.values()]
      .filter(
        (row) =>
          row.status === "pending" &&
          row.method === "reversal" &&
          row.createdAt > createdAfter &&
          (row.createdAt <= createdBefore || row.queueTimedOutAt !== null) &&
          (row.statusQueriedAt === null || row.statusQueriedAt <= queriedBefore),
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((row) => Refund.restore(row));
  }

  private findWhere(predicate: (row: RefundState) => boolean): Refund | null {
    for (const row of this.tables.refunds.values()) {
      if (predicate(row)) {
        return Refund.restore(row);
      }
    }
    return null;
  }

  private assertUniques(row: RefundState): void {
    assertUnique(this.tables.refunds, row, "callbackTokenHash", "refunds_callback_token_hash_unique");
    assertUnique(this.tables.refunds, row, "statusTokenHash", "refunds_status_token_hash_unique");
    assertUnique(this.tables.refunds, row, "payoutId", "refunds_payout_id_unique");
  }
}
