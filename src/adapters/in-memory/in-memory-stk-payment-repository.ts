import type { StkPaymentRepository } from "../../application/ports/stk-payment-repository.ts";
import type { StkPayment, StkPaymentState } from "../../domain/stk-payment.ts";
import { locatorKey } from "./in-memory-payment-locator-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { assertUnique, insertRow, replaceRow } from "./table-helpers.ts";

/**
 * The STK payment queries shared by the wallet purchase, sale and config verification stores, over one map of
 * rows. Adding a payment and recording its CheckoutRequestID also write its locator rows.
 */
export abstract class InMemoryStkPaymentRepository<P extends StkPayment, S extends StkPaymentState>
  implements StkPaymentRepository<P>
{
  protected abstract rows(): Map<string, S>;
  protected abstract restore(row: S): P;
  protected abstract toRow(payment: P): S;
  protected abstract readonly table: string;
  /** The kind its locator rows name. */
  abstract readonly kind: string;

  constructor(protected readonly tables: InMemoryTables) {}

  async add(payment: P): Promise<void> {
    const row = this.toRow(payment);
    this.assertUniques(row);
    insertRow(this.rows(), row, this.table);
    this.locate("callback_token", row.callbackTokenHash, row.id);
    if (row.checkoutRequestId !== null) {
      this.locate("checkout_request_id", row.checkoutRequestId, row.id);
    }
  }

  async update(payment: P): Promise<void> {
    const row = this.toRow(payment);
    this.assertUniques(row);
    replaceRow(this.rows(), row, this.table);
    if (row.checkoutRequestId !== null) {
      this.locate("checkout_request_id", row.checkoutRequestId, row.id);
    }
  }

  async recordAcceptedPush(payment: P): Promise<P | null> {
    const answer = this.toRow(payment);
    const current = this.rows().get(payment.id);
    if (
      answer.checkoutRequestId === null ||
      current === undefined ||
      current.status !== "pending" ||
      current.pushOutcome !== "unknown" ||
      current.checkoutRequestId !== null
    ) {
      return null;
    }
    // Only the push's own columns: whatever else changed on the row meanwhile stays as it is.
    const row: S = {
      ...current,
      checkoutRequestId: answer.checkoutRequestId,
      merchantRequestId: answer.merchantRequestId,
      pushOutcome: answer.pushOutcome,
    };
    this.assertUniques(row);
    replaceRow(this.rows(), row, this.table);
    this.locate("checkout_request_id", answer.checkoutRequestId, row.id);
    return this.restore(row);
  }

  /** Like the table's insert … on conflict do nothing: a key already there keeps naming its payment. */
  private locate(channel: "callback_token" | "checkout_request_id", key: string, paymentId: string): void {
    const at = locatorKey(channel, key);
    if (!this.tables.paymentLocators.has(at)) {
      this.tables.paymentLocators.set(at, { kind: this.kind, paymentId });
    }
  }

  async findById(id: string): Promise<P | null> {
    const row = this.rows().get(id);
    return row === undefined ? null : this.restore(row);
  }

  async claimOpen(claim: { now: Date; createdBefore: Date; limit: number }): Promise<P[]> {
    return this.oldest(
      (row) =>
        row.checkoutRequestId !== null &&
        row.createdAt.getTime() <= claim.createdBefore.getTime() &&
        (row.nextCheckAt === null || row.nextCheckAt.getTime() <= claim.now.getTime()),
      claim.limit,
    );
  }

  async claimUnsettled(createdBefore: Date, limit: number): Promise<P[]> {
    return this.oldest((row) => row.createdAt.getTime() <= createdBefore.getTime(), limit);
  }

  async pendingSummary(): Promise<{ count: number; oldestCreatedAt: Date | null }> {
    const pending = [...this.rows().values()].filter((row) => row.status === "pending");
    const oldest = pending.reduce<Date | null>(
      (min, row) => (min === null || row.createdAt < min ? row.createdAt : min),
      null,
    );
    return { count: pending.length, oldestCreatedAt: oldest };
  }

  /** Pending payments without a blocking flag that also match `predicate`, oldest first. */
  private oldest(predicate: (row: S) => boolean, limit: number): P[] {
    return [...this.rows().values()]
      .filter((row) => row.status === "pending" && !row.attentionBlocking && predicate(row))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((row) => this.restore(row));
  }

  private assertUniques(row: S): void {
    assertUnique(this.rows(), row, "checkoutRequestId", `${this.table}_checkout_request_id_unique`);
    assertUnique(this.rows(), row, "mpesaReceipt", `${this.table}_mpesa_receipt_unique`);
    assertUnique(this.rows(), row, "callbackTokenHash", `${this.table}_callback_token_hash_unique`);
  }
}
