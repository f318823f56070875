import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  LocatedPayment,
  LocatedRecord,
  LocatorChannel,
  PaymentLocatorRepository,
} from "../../../application/ports/payment-locator-repository.ts";
import type { StkPayment } from "../../../domain/stk-payment.ts";
import { type LocatedTable, selectLocatedRow } from "./row-sql.ts";

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
  ) {}

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
    const found = await selectLocatedRow(this.em, this.stores, channel, key, options);
    return found === null
      ? null
      : { kind: found.table.kind, payment: found.table.loaded(found.row as never) };
  }
}
