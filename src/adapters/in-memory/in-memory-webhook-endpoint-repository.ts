import type { WebhookEndpointRepository } from "../../application/ports/webhook-endpoint-repository.ts";
import type { SealedSecret } from "../../domain/sealed-secret.ts";
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

  async listAfter(afterId: string | null, limit: number): Promise<WebhookEndpoint[]> {
    return [...this.tables.webhookEndpoints.values()]
      .filter((row) => afterId === null || row.id > afterId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((row) => WebhookEndpoint.restore(row));
  }

  async replaceSecrets(id: string, secret: SealedSecret, previousSecret: SealedSecret | null): Promise<void> {
    const row = this.tables.webhookEndpoints.get(id);
    if (row !== undefined) {
      this.tables.webhookEndpoints.set(id, {
        ...row,
        secret,
        previousSecret: previousSecret ?? row.previousSecret,
      });
    }
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
