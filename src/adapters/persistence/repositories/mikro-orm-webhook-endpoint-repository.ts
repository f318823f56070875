import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { WebhookEndpointRepository } from "../../../application/ports/webhook-endpoint-repository.ts";
import type { SealedSecret } from "../../../domain/sealed-secret.ts";
import type { WebhookEndpoint } from "../../../domain/webhook-endpoint.ts";
import {
  WebhookEndpointSchema,
  webhookEndpointToDomain,
  webhookEndpointToRow,
} from "../rows/webhook-endpoint-row.ts";
import { canBeId, READ, readOptions, writing } from "./mikro-orm-support.ts";
import { insertRow, updateById } from "./row-sql.ts";

export class MikroOrmWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(endpoint: WebhookEndpoint): Promise<void> {
    await writing(() => insertRow(this.em, WebhookEndpointSchema, webhookEndpointToRow(endpoint)));
  }

  async update(endpoint: WebhookEndpoint): Promise<void> {
    await updateById(this.em, WebhookEndpointSchema, webhookEndpointToRow(endpoint));
  }

  async findById(id: string, options?: { lock?: boolean }): Promise<WebhookEndpoint | null> {
    if (!canBeId(id)) {
      return null;
    }
    const row = await this.em.findOne(WebhookEndpointSchema, { id }, readOptions(options));
    return row === null ? null : webhookEndpointToDomain(row);
  }

  async listByBusiness(businessId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.em.find(
      WebhookEndpointSchema,
      { businessId },
      { ...READ, orderBy: { createdAt: "asc", id: "asc" } },
    );
    return rows.map(webhookEndpointToDomain);
  }

  async listAfter(afterId: string | null, limit: number): Promise<WebhookEndpoint[]> {
    const rows = await this.em.find(WebhookEndpointSchema, afterId === null ? {} : { id: { $gt: afterId } }, {
      ...READ,
      orderBy: { id: "asc" },
      limit,
    });
    return rows.map(webhookEndpointToDomain);
  }

  async replaceSecrets(id: string, secret: SealedSecret, previousSecret: SealedSecret | null): Promise<void> {
    await this.em.nativeUpdate(
      WebhookEndpointSchema,
      { id },
      previousSecret === null
        ? { secretSealed: secret }
        : { secretSealed: secret, previousSecretSealed: previousSecret },
    );
  }

  async remove(id: string): Promise<boolean> {
    if (!canBeId(id)) {
      return false;
    }
    return (await this.em.nativeDelete(WebhookEndpointSchema, { id })) > 0;
  }
}
