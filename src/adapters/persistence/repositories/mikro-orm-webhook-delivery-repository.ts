import { LockMode } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  DeliveryAttempt,
  WebhookDelivery,
  WebhookDeliveryRepository,
} from "../../../application/ports/webhook-delivery-repository.ts";
import {
  WebhookAttemptSchema,
  WebhookDeliverySchema,
  webhookAttemptToDomain,
  webhookAttemptToRow,
  webhookDeliveryToDomain,
  webhookDeliveryToRow,
} from "../rows/webhook-delivery-row.ts";
import { canBeId, READ } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";

export class MikroOrmWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async addAll(deliveries: readonly WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) {
      return;
    }
    const columns = `"id", "event_id", "endpoint_id", "business_id", "status", "attempts", "schedule_step", "next_attempt_at", "job_id", "created_at"`;
    await this.em.execute(
      `insert into "webhook_deliveries" (${columns}) values ${deliveries
        .map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .join(", ")} on conflict ("event_id", "endpoint_id") do nothing`,
      deliveries.flatMap((d) => [
        d.id,
        d.eventId,
        d.endpointId,
        d.businessId,
        d.status,
        d.attempts,
        d.scheduleStep,
        d.nextAttemptAt,
        d.jobId,
        d.createdAt,
      ]),
      "run",
    );
  }

  async findById(id: string): Promise<WebhookDelivery | null> {
    if (!canBeId(id)) {
      return null;
    }
    const row = await this.em.findOne(WebhookDeliverySchema, { id }, READ);
    return row === null ? null : webhookDeliveryToDomain(row);
  }

  async findByEventAndEndpoint(eventId: string, endpointId: string): Promise<WebhookDelivery | null> {
    const row = await this.em.findOne(WebhookDeliverySchema, { eventId, endpointId }, READ);
    return row === null ? null : webhookDeliveryToDomain(row);
  }

  async findForUpdate(id: string): Promise<WebhookDelivery | null> {
    if (!canBeId(id)) {
      return null;
    }
    const row = await this.em.findOne(
      WebhookDeliverySchema,
      { id },
      { ...READ, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    return row === null ? null : webhookDeliveryToDomain(row);
  }

  async update(delivery: WebhookDelivery): Promise<void> {
    const { id, ...rest } = webhookDeliveryToRow(delivery);
    await this.em.nativeUpdate(WebhookDeliverySchema, { id }, rest);
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await insertRow(this.em, WebhookAttemptSchema, webhookAttemptToRow(attempt));
  }

  async listForEvent(eventId: string): Promise<WebhookDelivery[]> {
    if (!canBeId(eventId)) {
      return [];
    }
    const rows = await this.em.find(
      WebhookDeliverySchema,
      { eventId },
      { ...READ, orderBy: { createdAt: "asc", id: "asc" } },
    );
    return rows.map(webhookDeliveryToDomain);
  }

  async attemptsForEvent(eventId: string): Promise<DeliveryAttempt[]> {
    if (!canBeId(eventId)) {
      return [];
    }
    const rows = await this.em.find(
      WebhookAttemptSchema,
      { eventId },
      { ...READ, orderBy: { at: "asc", id: "asc" } },
    );
    return rows.map(webhookAttemptToDomain);
  }

  async lastAttempts(endpointIds: readonly string[]): Promise<Map<string, DeliveryAttempt>> {
    const last = new Map<string, DeliveryAttempt>();
    if (endpointIds.length === 0) {
      return last;
    }
    const records = await this.em.execute<{ id: string }[]>(
      `select distinct on ("endpoint_id") "id" from "webhook_attempts" where "endpoint_id" in (${endpointIds
        .map(() => "?")
        .join(", ")}) order by "endpoint_id", "at" desc, "id" desc`,
      [...endpointIds],
    );
    if (records.length === 0) {
      return last;
    }
    const rows = await this.em.find(WebhookAttemptSchema, { id: { $in: records.map((r) => r.id) } }, READ);
    for (const row of rows) {
      last.set(row.endpointId, webhookAttemptToDomain(row));
    }
    return last;
  }
}
