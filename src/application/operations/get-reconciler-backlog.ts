import type { PaymentKind } from "../ports/payment-metrics.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { StkPaymentKinds } from "../stk/stk-payment-kinds.ts";

export type BacklogEntry = {
  readonly kind: PaymentKind;
  readonly pending: number;
  readonly oldestCreatedAt: Date | null;
};

/** What the reconciler still has to settle: pending payments per registered kind, and the oldest one's age. */
export class GetReconcilerBacklog {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly stkKinds: StkPaymentKinds }) {}

  execute(): Promise<BacklogEntry[]> {
    return this.deps.uow.run(async (r) => {
      const entries: BacklogEntry[] = [];
      for (const kind of this.deps.stkKinds.all) {
        const { count, oldestCreatedAt } = await kind.pendingSummary(r);
        entries.push({ kind: kind.kind, pending: count, oldestCreatedAt });
      }
      return entries;
    });
  }
}
