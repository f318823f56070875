import type {
  DeliveryAttempt,
  WebhookDelivery,
  WebhookDeliveryRepository,
} from "../../application/ports/webhook-delivery-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

const withoutLease = ({ leaseUntil: _, ...delivery }: WebhookDelivery & { leaseUntil: Date | null }) =>
  delivery;

export class InMemoryWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async addAll(deliveries: readonly WebhookDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      if ((await this.findByEventAndEndpoint(delivery.eventId, delivery.endpointId)) === null) {
        insertRow(this.tables.webhookDeliveries, { ...delivery, leaseUntil: null }, "webhook_deliveries");
      }
    }
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<WebhookDelivery[]> {
    const due = [...this.tables.webhookDeliveries.values()]
      .filter(
        (row) =>
          row.status === "pending" &&
          row.nextAttemptAt <= now &&
          (row.leaseUntil === null || row.leaseUntil < now),
      )
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit);
    for (const row of due) {
      this.tables.webhookDeliveries.set(row.id, { ...row, leaseUntil });
    }
    return due.map(withoutLease);
  }

  async findById(id: string): Promise<WebhookDelivery | null> {
    const row = this.tables.webhookDeliveries.get(id);
    return row === undefined ? null : withoutLease(row);
  }

  async findByEventAndEndpoint(eventId: string, endpointId: string): Promise<WebhookDelivery | null> {
    for (const row of this.tables.webhookDeliveries.values()) {
      if (row.eventId === eventId && row.endpointId === endpointId) {
        return withoutLease(row);
      }
    }
    return null;
  }

  async update(delivery: WebhookDelivery): Promise<void> {
    if (this.tables.webhookDeliveries.has(delivery.id)) {
      this.tables.webhookDeliveries.set(delivery.id, { ...delivery, leaseUntil: null });
    }
  }

  async release(id: string): Promise<void> {
    const row = this.tables.webhookDeliveries.get(id);
    if (row !== undefined) {
      this.tables.webhookDeliveries.set(id, { ...row, leaseUntil: null });
    }
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    insertRow(this.tables.webhookAttempts, { ...attempt }, "webhook_attempts");
  }

  async listForEvent(eventId: string): Promise<WebhookDelivery[]> {
    return [...this.tables.webhookDeliveries.values()]
      .filter((row) => row.eventId === eventId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map(withoutLease);
  }

  async attemptsForEvent(eventId: string): Promise<DeliveryAttempt[]> {
    return [...this.tables.webhookAttempts.values()]
      .filter((row) => row.eventId === eventId)
      .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
  }

  async lastAttempts(endpointIds: readonly string[]): Promise<Map<string, DeliveryAttempt>> {
    const last = new Map<string, DeliveryAttempt>();
    for (const row of this.tables.webhookAttempts.values()) {
      if (!endpointIds.includes(row.endpointId)) {
        continue;
      }
      const known = last.get(row.endpointId);
      if (
        known === undefined ||
        row.at > known.at ||
        (row.at.getTime() === known.at.getTime() && row.id > known.id)
      ) {
        last.set(row.endpointId, row);
      }
    }
    return last;
  }
}
