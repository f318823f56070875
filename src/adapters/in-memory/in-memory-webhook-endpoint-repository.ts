import type { WebhookEndpointRepository } from "../../application/ports/webhook-endpoint-repository.ts";
import { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, replaceRow } from "./table-helpers.ts";

export class InMemoryWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(endpoint: WebhookEndpoint): Promise<void> {
    insertRow(this.tables.webhookEndpoints, endpoint.snapshot(), "webhook_endpoints");
  }

  async update(endpoint: WebhookEndpoint): Promise<void> {
    replaceRow(this.tables.webhookEndpoints, endpoint.snapshot(), "WebhookEndpoint");
  }

  async findById(id: string): Promise<WebhookEndpoint | null> {
    const row = this.tables.webhookEndpoints.get(id);
    return row === undefined ? null : WebhookEndpoint.restore(row);
  }

  async listByBusiness(businessId: string): Promise<WebhookEndpoint[]> {
    return [...this.tables.webhookEndpoints.values()]
      .filter((row) => row.businessId === businessId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map((row) => WebhookEndpoint.restore(row));
  }

  async remove(id: string): Promise<boolean> {
    if (!this.tables.webhookEndpoints.delete(id)) {
      return false;
    }
    // As ON DELETE CASCADE would.
    for (const delivery of [...this.tables.webhookDeliveries.values()]) {
      if (delivery.endpointId === id) {
        this.tables.webhookDeliveries.delete(delivery.id);
        for (const attempt of [...this.tables.webhookAttempts.values()]) {
          if (attempt.deliveryId === delivery.id) {
            this.tables.webhookAttempts.delete(attempt.id);
          }
        }
      }
    }
    return true;
  }
}
