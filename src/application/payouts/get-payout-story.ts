import type { Payout } from "../../domain/payout.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { CallbackRecord } from "../ports/callback-audit-repository.ts";
import type { PayoutEvent } from "../ports/payout-event-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { payoutRef } from "../shared/payout-outcome.ts";
import { accessiblePayout } from "./get-payout.ts";

/** One line of a payout's story: something PayMe did, or a callback M-Pesa (or anyone) sent about it. */
export type PayoutStoryEntry =
  | { readonly at: Date; readonly source: "payme"; readonly event: PayoutEvent }
  | { readonly at: Date; readonly source: "callback"; readonly callback: CallbackRecord };

export type PayoutStory = { readonly payout: Payout; readonly entries: readonly PayoutStoryEntry[] };

/**
 * A payout's full story, oldest first: who asked and when, what Daraja answered to the request and to every
 * status query, and every callback about it as received (trusted or not) with what became of it.
 * Only those who may read the business's payouts may read it.
 */
export class GetPayoutStory {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"callbackAudit" | "payoutEvents" | "payouts">;
    },
  ) {}

  async execute(input: {
    readonly access: Access;
    readonly payoutId: string;
  }): Promise<Result<PayoutStory, NotFound | Forbidden>> {
    return this.deps.uow.run(async (r) => {
      const found = await accessiblePayout(r, input.payoutId, input.access);
      if (!found.ok) {
        return found;
      }
      const payout = found.value;
      const events = await r.payoutEvents.listByPayout(payout.id);
      const callbacks = await r.callbackAudit.listByPayment(payoutRef(payout));
      const entries: PayoutStoryEntry[] = [
        ...events.map((event) => ({ at: event.at, source: "payme" as const, event })),
        ...callbacks.map((callback) => ({ at: callback.receivedAt, source: "callback" as const, callback })),
      ];
      // Stable: at equal times, PayMe's own events come before the callbacks they caused.
      entries.sort((a, b) => a.at.getTime() - b.at.getTime());
      return ok({ payout, entries });
    });
  }
}
