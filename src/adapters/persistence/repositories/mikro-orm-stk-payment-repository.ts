import { type EntitySchema, LockMode } from "@mikro-orm/core";
import { raw, type SqlEntityManager } from "@mikro-orm/postgresql";
import type { StkPaymentRepository } from "../../../application/ports/stk-payment-repository.ts";
import type { StkPayment } from "../../../domain/stk-payment.ts";
import type { StkPaymentColumns } from "../rows/stk-payment-columns.ts";
import { READ } from "./mikro-orm-support.ts";
import {
  insertLocatedRow,
  type LocatedTable,
  type LocatorKey,
  selectRow,
  updateById,
  updateLocatedById,
  updateLocatedIfUnchanged,
} from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

/**
 * The CheckoutRequestID each payment object had when it was read or added: its locator row exists already, so
 * saving it again needs no locator write (the settlement path's update stays a plain UPDATE).
 */
const locatedCheckouts = new WeakMap<StkPayment, string | null>();

/**
 * The STK payment queries shared by the wallet purchase, sale and config verification tables. Adding a payment
 * and recording its CheckoutRequestID also write its `payment_locators` rows, in the same statement.
 */
export class MikroOrmStkPaymentRepository<P extends StkPayment, R extends StkPaymentColumns>
  implements StkPaymentRepository<P>, LocatedTable
{
  constructor(
    protected readonly em: SqlEntityManager,
    readonly schema: EntitySchema<R>,
    protected readonly toRow: (payment: P) => R,
    protected readonly toDomain: (row: R) => P,
    /** The kind its locator rows name. */
    readonly kind: string,
    /** A group commit's batch, which keeps the updates for one statement at its end. */
    protected readonly batch?: SettlementBatch,
  ) {}

  async add(payment: P): Promise<void> {
    const keys: LocatorKey[] = [{ channel: "callback_token", key: payment.callbackTokenHash }];
    if (payment.checkoutRequestId !== null) {
      keys.push({ channel: "checkout_request_id", key: payment.checkoutRequestId });
    }
    await insertLocatedRow(this.em, this.schema, this.toRow(payment), this.kind, keys);
    locatedCheckouts.set(payment, payment.checkoutRequestId);
  }

  async update(payment: P): Promise<void> {
    const { checkoutRequestId } = payment;
    if (this.batch !== undefined) {
      this.batch.update(this.schema as never, this.toRow(payment) as never);
      if (checkoutRequestId !== null && locatedCheckouts.get(payment) !== checkoutRequestId) {
        this.batch.locate(this, { channel: "checkout_request_id", key: checkoutRequestId }, payment.id);
      }
      return;
    }
    if (checkoutRequestId === null || locatedCheckouts.get(payment) === checkoutRequestId) {
      await updateById(this.em, this.schema, this.toRow(payment));
      return;
    }
    const key: LocatorKey = { channel: "checkout_request_id", key: checkoutRequestId };
    // Not remembered as located: this transaction may still roll back, and the object outlive it.
    await updateLocatedById(this.em, this.schema, this.toRow(payment), this.kind, key);
  }

  async recordAcceptedPush(payment: P): Promise<P | null> {
    const { checkoutRequestId } = payment;
    if (checkoutRequestId === null) {
      throw new Error(`payment ${payment.id} records an accepted push without its CheckoutRequestID`);
    }
    const row = this.toRow(payment);
    const written = await updateLocatedIfUnchanged(this.em, this.schema, {
      id: payment.id,
      set: {
        checkoutRequestId,
        merchantRequestId: row.merchantRequestId,
        pushOutcome: row.pushOutcome,
      } as Partial<R>,
      expected: { status: "pending", pushOutcome: "unknown", checkoutRequestId: null } as Partial<R>,
      kind: this.kind,
      key: { channel: "checkout_request_id", key: checkoutRequestId },
    });
    return written === null ? null : this.loaded(written);
  }

  /** A payment as read (here, or by the payment locator): its CheckoutRequestID, if any, is located already. */
  readonly loaded = (row: R): P => {
    const payment = this.toDomain(row);
    locatedCheckouts.set(payment, payment.checkoutRequestId);
    return payment;
  };

  findById(id: string, options?: { lock?: boolean }): Promise<P | null> {
    return this.findOneBy({ id }, options);
  }

  claimOpen(claim: { now: Date; createdBefore: Date; limit: number }): Promise<P[]> {
    return this.claimOldest(
      {
        checkoutRequestId: { $ne: null },
        createdAt: { $lte: claim.createdBefore },
        $or: [{ nextCheckAt: null }, { nextCheckAt: { $lte: claim.now } }],
      },
      claim.limit,
    );
  }

  claimUnsettled(createdBefore: Date, limit: number): Promise<P[]> {
    return this.claimOldest({ createdAt: { $lte: createdBefore } }, limit);
  }

  async pendingSummary(): Promise<{ count: number; oldestCreatedAt: Date | null }> {
    const [row] = await this.em
      .createQueryBuilder(this.schema)
      .select([raw("count(*) as count"), raw("min(created_at) as oldest")] as never)
      .where({ status: "pending" } as never)
      .execute<{ count: string | number; oldest: Date | string | null }[]>("all", false);
    const oldest = row?.oldest ?? null;
    return { count: Number(row?.count ?? 0), oldestCreatedAt: oldest === null ? null : new Date(oldest) };
  }

  /**
   * Pending payments without a blocking flag matching `where`, oldest first, locked with FOR UPDATE SKIP LOCKED.
   * An informational flag does not keep a payment from being settled.
   */
  private async claimOldest(where: Record<string, unknown>, limit: number): Promise<P[]> {
    const rows = await this.em.find(
      this.schema,
      { status: "pending", attentionBlocking: false, ...where } as never,
      {
        ...READ,
        orderBy: { createdAt: "asc", id: "asc" } as never,
        limit,
        // Rows another reconciler holds are passed over, not waited for.
        lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
      },
    );
    return rows.map(this.loaded);
  }

  protected async findOneBy(
    where: Pick<Partial<StkPaymentColumns>, "id" | "callbackTokenHash" | "checkoutRequestId">,
    options?: { lock?: boolean },
  ): Promise<P | null> {
    const row = await selectRow(this.em, this.schema, where as Partial<R>, options);
    return row === null ? null : this.loaded(row);
  }
}
