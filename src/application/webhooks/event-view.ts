import type { OutboxEvent } from "../ports/outbox-repository.ts";

/** An event as the API shows it and as a webhook carries it: `{ id, type, createdAt, businessId, data }`. */
export const eventView = (event: OutboxEvent) => ({
  id: event.id,
  type: event.type,
  createdAt: event.createdAt.toISOString(),
  businessId: event.businessId,
  data: { object: event.data.object },
});

export type EventView = ReturnType<typeof eventView>;
