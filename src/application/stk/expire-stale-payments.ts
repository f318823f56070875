import type { StkPayment } from "../../domain/stk-payment.ts";
import type { Clock } from "../ports/clock.ts";
import type { PaymentKind, PaymentMetrics } from "../ports/payment-metrics.ts";
import type { StkPaymentRepository } from "../ports/stk-payment-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { settleSaleAfterChange } from "./stk-settlement.ts";

/**
 * Gives up on payments still unknown after EXPIRE_AFTER_SECONDS: they become `expired` (a sale's stock, if it
 * still holds any, goes back). A definitive success later still moves one to paid. One that never learned its
 * CheckoutRequestID cannot be queried: it is flagged "push outcome unknown" (informational, so a late callback
 * still settles it) for a person to check the M-Pesa statement. Payments with a blocking flag are left for a
 * person.
 */
export class ExpireStalePayments {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"configVerifications" | "products" | "sales" | "walletPurchases">;
      readonly clock: Clock;
      readonly expireAfterSeconds: number;
      readonly metrics: PaymentMetrics;
    },
  ) {}

  async execute(input: { readonly limit: number }): Promise<number> {
    const now = this.deps.clock.now();
    const cutoff = new Date(now.getTime() - this.deps.expireAfterSeconds * 1000);
    const expired = await this.deps.uow.run(async (r) => {
      const done: { kind: PaymentKind; createdAt: Date }[] = [];
      const expire = async <P extends StkPayment>(
        kind: PaymentKind,
        store: StkPaymentRepository<P>,
        save: (payment: P) => Promise<void>,
      ) => {
        for (const payment of await store.claimUnsettled(cutoff, input.limit)) {
          if (payment.expire(now).ok) {
            await save(payment);
            done.push({ kind, createdAt: payment.createdAt });
          }
        }
      };
      await expire("wallet_purchase", r.walletPurchases, (p) => r.walletPurchases.update(p));
      await expire("sale", r.sales, (p) => settleSaleAfterChange(r, p, now));
      await expire("config_verification", r.configVerifications, (p) => r.configVerifications.update(p));
      return done;
    });
    for (const { kind, createdAt } of expired) {
      const ageSeconds = (now.getTime() - createdAt.getTime()) / 1000;
      this.deps.metrics.settled({ kind, status: "expired", source: "expiry", ageSeconds });
    }
    return expired.length;
  }
}
