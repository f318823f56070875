import type { OutboxEvent, OutboxRepository } from "../../application/ports/outbox-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

export class InMemoryOutboxRepository implements OutboxRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async append(event: OutboxEvent): Promise<void> {
    // Stored as JSON would be: a later change to the object it was built from does not reach it.
    insertRow(this.tables.outboxEvents, structuredClone(event), "outbox_events");
  }

  async listForBusiness(businessId: string, options?: { limit?: number }): Promise<OutboxEvent[]> {
    return [...this.tables.outboxEvents.values()]
      .filter((event) => event.businessId === businessId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, options?.limit ?? 100);
  }
}
