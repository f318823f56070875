import { LockMode, type QueryResult } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  OutboxEvent,
  OutboxEventType,
  OutboxRepository,
} from "../../../application/ports/outbox-repository.ts";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import { OutboxEventSchema, outboxEventToDomain, outboxEventToRow } from "../rows/outbox-event-row.ts";
import { canBeId, PAGE_ORDER, pageWhere, READ, toPage } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmOutboxRepository implements OutboxRepository {
  constructor(
    private readonly em: SqlEntityManager,
    /** A group commit's batch, which inserts the rows of all its settlements in one statement. */
    private readonly batch?: SettlementBatch,
  ) {}

  async append(event: OutboxEvent): Promise<void> {
    if (this.batch !== undefined) {
      this.batch.insert(OutboxEventSchema as never, outboxEventToRow(event) as never);
      return;
    }
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

  async pageForBusiness(
    businessId: string,
    filter: { readonly type?: OutboxEventType },
    page: PageRequest,
  ): Promise<Page<OutboxEvent>> {
    const rows = await this.em.find(
      OutboxEventSchema,
      { businessId, ...(filter.type === undefined ? {} : { type: filter.type }), ...pageWhere(page) },
      { ...READ, ...PAGE_ORDER, limit: page.limit + 1 },
    );
    return toPage(rows, page, outboxEventToDomain);
  }

  async findById(id: string): Promise<OutboxEvent | null> {
    if (!canBeId(id)) {
      return null;
    }
    const row = await this.em.findOne(OutboxEventSchema, { id }, READ);
    return row === null ? null : outboxEventToDomain(row);
  }

  async claimUndispatched(limit: number): Promise<OutboxEvent[]> {
    const rows = await this.em.find(
      OutboxEventSchema,
      { dispatchedAt: null },
      {
        ...READ,
        orderBy: { createdAt: "asc", id: "asc" },
        limit,
        // FOR UPDATE SKIP LOCKED: another instance's fan-out passes these over.
        lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
      },
    );
    return rows.map(outboxEventToDomain);
  }

  async markDispatched(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length > 0) {
      await this.em.nativeUpdate(OutboxEventSchema, { id: { $in: [...ids] } }, { dispatchedAt: at });
    }
  }

  async purgeCreatedBefore(cutoff: Date, limit: number): Promise<number> {
    // Deliveries and their attempts go with their event (ON DELETE CASCADE).
    const result = await this.em.execute<QueryResult>(
      `delete from "outbox_events" where "id" in (select "id" from "outbox_events" where "created_at" < ? order by "created_at" limit ? for update skip locked)`,
      [cutoff, limit],
      "run",
    );
    return result.affectedRows;
  }
}
