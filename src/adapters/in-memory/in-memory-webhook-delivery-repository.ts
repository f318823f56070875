import type {
  DeliveryAttempt,
  WebhookDelivery,
  WebhookDeliveryRepository,
} from "../../application/ports/webhook-delivery-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

export class InMemoryWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async addAll(deliveries: readonly WebhookDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      if ((await this.findByEventAndEndpoint(delivery.eventId, delivery.endpointId)) === null) {
        insertRow(this.tables.webhookDeliveries, { ...delivery }, "webhook_deliveries");
      }
    }
  }

  async findById(id: string): Promise<WebhookDelivery | null> {
    const row = this.tables.webhookDeliveries.get(id);
    return row ?? null;
  }

  async findByEventAndEndpoint(eventId: string, endpointId: string): Promise<WebhookDelivery | null> {
    for (const row of this.tables.webhookDeliveries.values()) {
      if (row.eventId === eventId && row.endpointId === endpointId) {
        return row;
      }
    }
    return null;
  }

  /** Transactions run one at a time here: a plain read is already exclusive. */
  findForUpdate(id: string): Promise<WebhookDelivery | null> {
    return this.findById(id);
  }

  async update(delivery: WebhookDelivery): Promise<void> {
    if (this.tables.webhookDeliveries.has(delivery.id)) {
      this.tables.webhookDeliveries.set(delivery.id, { ...delivery });
    }
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    insertRow(this.tables.webhookAttempts, { ...attempt }, "webhook_attempts");
  }

  async listForEvent(eventId: string): Promise<WebhookDelivery[]> {
    return [...this.tables.webhookDeliveries.values()]
      .filter((row) => row.eventId === eventId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
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
