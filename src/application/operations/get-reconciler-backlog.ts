import type { PaymentKind } from "../ports/payment-metrics.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

export type BacklogEntry = {
  readonly kind: PaymentKind;
  readonly pending: number;
  readonly oldestCreatedAt: Date | null;
};

/** What the reconciler still has to settle: pending payments per kind, and the oldest one's age. */
export class GetReconcilerBacklog {
  constructor(
    private readonly deps: { readonly uow: UnitOfWork<"configVerifications" | "sales" | "walletPurchases"> },
  ) {}

  execute(): Promise<BacklogEntry[]> {
    return this.deps.uow.run(async (r) => {
      const entry = async (
        kind: PaymentKind,
        summary: Promise<{ count: number; oldestCreatedAt: Date | null }>,
      ) => {
        const { count, oldestCreatedAt } = await summary;
        return { kind, pending: count, oldestCreatedAt };
      };
      return [
        await entry("wallet_purchase", r.walletPurchases.pendingSummary()),
        await entry("sale", r.sales.pendingSummary()),
        await entry("config_verification", r.configVerifications.pendingSummary()),
      ];
    });
  }
}
