import type { PayoutEvent, PayoutEventRepository } from "../../application/ports/payout-event-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

export class InMemoryPayoutEventRepository implements PayoutEventRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async append(event: PayoutEvent): Promise<void> {
    insertRow(this.tables.payoutEvents, { ...event, detail: { ...event.detail } }, "payout_events");
  }

  async listByPayout(payoutId: string): Promise<PayoutEvent[]> {
    return [...this.tables.payoutEvents.values()]
      .filter((row) => row.payoutId === payoutId)
      .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
  }
}
