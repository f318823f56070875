import type {
  LocatedPayment,
  LocatedRecord,
  LocatorChannel,
  PaymentLocatorRepository,
} from "../../application/ports/payment-locator-repository.ts";
import type { StkPayment } from "../../domain/stk-payment.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";

/** The key of a locator row in InMemoryTables.paymentLocators. */
export const locatorKey = (channel: LocatorChannel, key: string): string => `${channel}\u0000${key}`;

/** What the locator needs of a kind's store: the kind it holds, and its payments by id. */
type LocatedStore = {
  readonly kind: string;
  findById(id: string): Promise<StkPayment | null>;
};

export class InMemoryPaymentLocatorRepository implements PaymentLocatorRepository {
  constructor(
    private readonly tables: InMemoryTables,
    /** The stores of every kind the locator names. */
    private readonly stores: readonly LocatedStore[],
  ) {}

  async find(channel: LocatorChannel, key: string): Promise<LocatedRecord | null> {
    return this.tables.paymentLocators.get(locatorKey(channel, key)) ?? null;
  }

  /** Transactions here run one at a time, so a payment read in one is locked for it already. */
  async findPayment(channel: LocatorChannel, key: string): Promise<LocatedPayment | null> {
    const found = await this.find(channel, key);
    const store = found === null ? undefined : this.stores.find((s) => s.kind === found.kind);
    if (found === null || store === undefined) {
      return null;
    }
    const payment = await store.findById(found.paymentId);
    return payment === null ? null : { kind: found.kind, payment };
  }
}
