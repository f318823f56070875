import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentKind, PaymentMetrics } from "../ports/payment-metrics.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { StkPaymentKinds } from "./stk-payment-kinds.ts";

/**
 * Gives up on payments still unknown after EXPIRE_AFTER_SECONDS: they become `expired` (a sale's stock, if it
 * still holds any, goes back). A definitive success later still moves one to paid. One that never learned its
 * CheckoutRequestID cannot be queried: it is flagged "push outcome unknown" (informational, so a late callback
 * still settles it) for a person to check the M-Pesa statement. Payments with a blocking flag are left for a
 * person. Every registered kind of STK payment is claimed in turn, up to `limit` each.
 */
export class ExpireStalePayments {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly expireAfterSeconds: number;
      readonly metrics: PaymentMetrics;
      readonly stkKinds: StkPaymentKinds;
    },
  ) {}

  async execute(input: { readonly limit: number }): Promise<number> {
    const now = this.deps.clock.now();
    const cutoff = new Date(now.getTime() - this.deps.expireAfterSeconds * 1000);
    const expired = await this.deps.uow.run(async (r) => {
      const done: { kind: PaymentKind; createdAt: Date }[] = [];
      for (const kind of this.deps.stkKinds.all) {
        for (const located of await kind.claimUnsettled(r, cutoff, input.limit)) {
          if (located.payment.expire(now).ok) {
            await located.saveChange(r, "expired", { now, ids: this.deps.ids });
            done.push({ kind: located.kind, createdAt: located.payment.createdAt });
          }
        }
      }
      return done;
    });
    for (const { kind, createdAt } of expired) {
      const ageSeconds = (now.getTime() - createdAt.getTime()) / 1000;
      this.deps.metrics.settled({ kind, status: "expired", source: "expiry", ageSeconds });
    }
    return expired.length;
  }
}
