import type {
  OutboxEvent,
  OutboxEventType,
  OutboxRepository,
} from "../../application/ports/outbox-repository.ts";
import type { Page, PageRequest } from "../../application/ports/page.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, pageOf } from "./table-helpers.ts";

const oldestFirst = (a: OutboxEvent, b: OutboxEvent) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1);

export class InMemoryOutboxRepository implements OutboxRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async append(event: OutboxEvent): Promise<void> {
    // Stored as JSON would be: a later change to the object it was built from does not reach it.
    insertRow(this.tables.outboxEvents, structuredClone(event), "outbox_events");
  }

  async listForBusiness(businessId: string, options?: { limit?: number }): Promise<OutboxEvent[]> {
    return [...this.tables.outboxEvents.values()]
      .filter((event) => event.businessId === businessId)
      .sort(oldestFirst)
      .slice(0, options?.limit ?? 100);
  }

  async pageForBusiness(
    businessId: string,
    filter: { readonly type?: OutboxEventType },
    page: PageRequest,
  ): Promise<Page<OutboxEvent>> {
    const rows = [...this.tables.outboxEvents.values()].filter(
      (event) => event.businessId === businessId && (filter.type === undefined || event.type === filter.type),
    );
    return pageOf(rows, page, (event) => structuredClone(event));
  }

  async findById(id: string): Promise<OutboxEvent | null> {
    const event = this.tables.outboxEvents.get(id);
    return event === undefined ? null : structuredClone(event);
  }

  async claimUndispatched(limit: number): Promise<OutboxEvent[]> {
    return [...this.tables.outboxEvents.values()]
      .filter((event) => !this.tables.outboxDispatched.has(event.id))
      .sort(oldestFirst)
      .slice(0, limit)
      .map((event) => structuredClone(event));
  }

  async markDispatched(ids: readonly string[], at: Date): Promise<void> {
    for (const id of ids) {
      this.tables.outboxDispatched.set(id, at);
    }
  }

  async purgeCreatedBefore(cutoff: Date, limit: number): Promise<number> {
    const old = [...this.tables.outboxEvents.values()]
      .filter((event) => event.createdAt < cutoff)
      .sort(oldestFirst)
      .slice(0, limit);
    const ids = new Set(old.map((event) => event.id));
    for (const id of ids) {
      this.tables.outboxEvents.delete(id);
      this.tables.outboxDispatched.delete(id);
    }
    // As ON DELETE CASCADE would: the events' deliveries and their attempts go too.
    for (const delivery of [...this.tables.webhookDeliveries.values()]) {
      if (ids.has(delivery.eventId)) {
        this.tables.webhookDeliveries.delete(delivery.id);
      }
    }
    for (const attempt of [...this.tables.webhookAttempts.values()]) {
      if (ids.has(attempt.eventId)) {
        this.tables.webhookAttempts.delete(attempt.id);
      }
    }
    return old.length;
  }
}
