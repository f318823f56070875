import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { OutboxEvent, OutboxRepository } from "../../../application/ports/outbox-repository.ts";
import { OutboxEventSchema, outboxEventToDomain, outboxEventToRow } from "../rows/outbox-event-row.ts";
import { READ } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";

export class MikroOrmOutboxRepository implements OutboxRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async append(event: OutboxEvent): Promise<void> {
    await insertRow(this.em, OutboxEventSchema, outboxEventToRow(event));
  }

  async listForBusiness(businessId: string, options?: { limit?: number }): Promise<OutboxEvent[]> {
    const rows = await this.em.find(
      OutboxEventSchema,
      { businessId },
      { ...READ, orderBy: { createdAt: "asc", id: "asc" }, limit: options?.limit ?? 100 },
    );
    return rows.map(outboxEventToDomain);
  }
}
