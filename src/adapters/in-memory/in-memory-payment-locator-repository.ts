import type {
  LocatedRecord,
  LocatorChannel,
  PaymentLocatorRepository,
} from "../../application/ports/payment-locator-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";

/** The key of a locator row in InMemoryTables.paymentLocators. */
export const locatorKey = (channel: LocatorChannel, key: string): string => `${channel}\u0000${key}`;

export class InMemoryPaymentLocatorRepository implements PaymentLocatorRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async find(channel: LocatorChannel, key: string): Promise<LocatedRecord | null> {
    return this.tables.paymentLocators.get(locatorKey(channel, key)) ?? null;
  }
}
