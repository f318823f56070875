import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  LocatedPayment,
  LocatedRecord,
  LocatorChannel,
  PaymentLocatorRepository,
} from "../../../application/ports/payment-locator-repository.ts";
import type { StkPayment } from "../../../domain/stk-payment.ts";
import { type LocatedTable, type LocatorKey, selectLocatedRow } from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

/**
 * What the locator needs of a kind's store (a MikroOrmStkPaymentRepository): its table, and how a row read there
 * becomes a payment.
 */
type LocatedStore = LocatedTable & { readonly loaded: (row: never) => StkPayment };

export class MikroOrmPaymentLocatorRepository implements PaymentLocatorRepository {
  constructor(
    private readonly em: SqlEntityManager,
    /** The stores of every kind the locator names, which read the payments it finds. */
    private readonly stores: readonly LocatedStore[],
    /** A group commit's batch, which read and locked its payments up front. */
    private readonly batch?: SettlementBatch,
  ) {}

  /** Reads and locks, in one statement in payment id order, the payments of a group commit's keys. */
  lockPayments(keys: readonly LocatorKey[]): Promise<void> {
    if (this.batch === undefined) {
      throw new Error("payments are locked up front for a group commit only");
    }
    return this.batch.lockPayments(this.stores, keys);
  }

  async find(channel: LocatorChannel, key: string): Promise<LocatedRecord | null> {
    // Hand-written like the other statements on the settlement path: one primary-key read.
    const [row] = await this.em.execute<{ kind: string; payment_id: string }[]>(
      `select "kind", "payment_id" from "payment_locators" where "channel" = ? and "key" = ?`,
      [channel, key],
    );
    return row === undefined ? null : { kind: row.kind, paymentId: row.payment_id };
  }

  async findPayment(
    channel: LocatorChannel,
    key: string,
    options: { readonly lock: boolean },
  ): Promise<LocatedPayment | null> {
    const batch = this.batch;
    if (batch === undefined) {
      const found = await selectLocatedRow(this.em, this.stores, channel, key, options);
      return found === null
        ? null
        : { kind: found.table.kind, payment: found.table.loaded(found.row as never) };
    }
    const locked = batch.lockedPayment<LocatedStore>(channel, key);
    if (locked !== undefined) {
      return locked === null
        ? null
        : { kind: locked.table.kind, payment: locked.table.loaded(locked.row as never) };
    }
    const found = await selectLocatedRow(this.em, this.stores, channel, key, options);
    if (found === null) {
      return null;
    }
    const row = found.row as { id: string };
    if (options.lock) {
      batch.remember(row);
    }
    // What the group changed of this payment so far, rather than the row as committed.
    return { kind: found.table.kind, payment: found.table.loaded((batch.current(row.id) ?? row) as never) };
  }
}
