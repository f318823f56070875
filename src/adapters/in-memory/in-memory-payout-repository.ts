import type { Page, PageRequest } from "../../application/ports/page.ts";
import type {
  PayoutFilter,
  PayoutRepository,
  StatusQueryCriteria,
} from "../../application/ports/payout-repository.ts";
import { Payout, type PayoutState } from "../../domain/payout.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { assertUnique, insertRow, pageOf, replaceRow } from "./table-helpers.ts";

export class InMemoryPayoutRepository implements PayoutRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(payout: Payout): Promise<void> {
    const row = payout.snapshot();
    this.assertUniques(row);
    insertRow(this.tables.payouts, row, "payouts");
  }

  async update(payout: Payout): Promise<void> {
    const row = payout.snapshot();
    this.assertUniques(row);
    replaceRow(this.tables.payouts, row, "Payout");
  }

  async findById(id: string): Promise<Payout | null> {
    const row = this.tables.payouts.get(id);
    return row === undefined ? null : Payout.restore(row);
  }

  async findByCallbackTokenHash(hash: string): Promise<Payout | null> {
    return this.findWhere((row) => row.callbackTokenHash === hash);
  }

  async findByStatusTokenHash(hash: string): Promise<Payout | null> {
    return this.findWhere((row) => row.statusTokenHash === hash);
  }

  async findByOriginatorConversationId(id: string): Promise<Payout | null> {
    return this.findWhere((row) => row.originatorConversationId === id);
  }

  async claimForStatusQuery(criteria: StatusQueryCriteria): Promise<Payout[]> {
    const { createdBefore, createdAfter, queriedBefore, limit } = criteria;
    return [...this.tables.payouts.values()]
      .filter(
        (row) =>
          row.status === "pending" &&
          row.createdAt > createdAfter &&
          (row.createdAt <= createdBefore || row.queueTimedOutAt !== null) &&
          (row.statusQueriedAt === null || row.statusQueriedAt <= queriedBefore),
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((row) => Payout.restore(row));
  }

  async listByBusiness(businessId: string, filter: PayoutFilter, page: PageRequest): Promise<Page<Payout>> {
    const rows = [...this.tables.payouts.values()].filter(
      (row) =>
        row.businessId === businessId &&
        (filter.status === undefined || row.status === filter.status) &&
        (filter.createdFrom === undefined || row.createdAt >= filter.createdFrom) &&
        (filter.createdBefore === undefined || row.createdAt < filter.createdBefore),
    );
    return pageOf(rows, page, Payout.restore);
  }

  async sumPendingAndCompletedSince(businessId: string, since: Date): Promise<number> {
    let total = 0;
    for (const row of this.tables.payouts.values()) {
      if (row.businessId === businessId && row.status !== "failed" && row.createdAt >= since) {
        total += row.amount.value;
      }
    }
    return total;
  }

  private findWhere(predicate: (row: PayoutState) => boolean): Payout | null {
    for (const row of this.tables.payouts.values()) {
      if (predicate(row)) {
        return Payout.restore(row);
      }
    }
    return null;
  }

  private assertUniques(row: PayoutState): void {
    assertUnique(
      this.tables.payouts,
      row,
      "originatorConversationId",
      "payouts_originator_conversation_id_unique",
    );
    assertUnique(this.tables.payouts, row, "callbackTokenHash", "payouts_callback_token_hash_unique");
    assertUnique(this.tables.payouts, row, "mpesaReceipt", "payouts_mpesa_receipt_unique");
    assertUnique(this.tables.payouts, row, "statusTokenHash", "payouts_status_token_hash_unique");
  }
}
