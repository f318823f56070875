import type { IdGenerator } from "../ports/id-generator.ts";
import type { OutboxEventType } from "../ports/outbox-repository.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { paymentConfigView } from "./payment-config-view.ts";

export type EventContext = { readonly now: Date; readonly ids: IdGenerator };

/** Appends an event to the outbox, in the caller's transaction; `object` is the resource's API JSON. */
export function recordEvent(
  r: Pick<Repositories, "outbox">,
  context: EventContext,
  type: OutboxEventType,
  businessId: string,
  object: unknown,
): Promise<void> {
  return r.outbox.append({
    id: context.ids.next(),
    type,
    createdAt: context.now,
    businessId,
    data: { object },
  });
}

/**
 * A payment through this config proved it works: marks it verified and, when it was not until now, records
 * `payment_config.verified` with the config as its API shows it.
 */
export async function verifyConfig(
  r: Pick<Repositories, "configVerifications" | "outbox" | "paymentConfigs">,
  paymentConfigId: string,
  context: EventContext,
): Promise<void> {
  if (!(await r.paymentConfigs.markVerified(paymentConfigId))) {
    return;
  }
  const config = await r.paymentConfigs.findById(paymentConfigId);
  if (config === null) {
    throw new Error(`payment config ${paymentConfigId} was verified and then vanished`);
  }
  const lastVerification = await r.configVerifications.findLatestForConfig(paymentConfigId);
  await recordEvent(
    r,
    context,
    "payment_config.verified",
    config.businessId,
    paymentConfigView({ config, lastVerification }),
  );
}
