import type { PayoutStoryEntry } from "../../application/payouts/get-payout-story.ts";
import { payoutView } from "../../application/shared/payout-view.ts";
import type { PayoutConfig } from "../../domain/payout-config.ts";

/**
 * The JSON shapes of payouts and payout configs. Never an initiator password, a consumer secret or a callback
 * token, in any form.
 */

export const presentPayoutConfig = (config: PayoutConfig) => ({
  id: config.id,
  businessId: config.businessId,
  shortcode: config.shortcode.value,
  initiatorName: config.initiatorName,
  hasOwnDarajaApp: config.ownApp !== null,
  dailyLimit: config.limits.daily,
  perPayoutLimit: config.limits.perPayout,
  createdAt: config.createdAt.toISOString(),
});

/** A payout, as the application shapes it for the API and for its events. */
export const presentPayout = payoutView;

/**
 * One line of a payout's story. PayMe's own events carry their details; a callback carries its kind, whether
 * its URL token was right, what became of it, and its body as received.
 */
export const presentPayoutStoryEntry = (entry: PayoutStoryEntry) =>
  entry.source === "payme"
    ? { ...entry.event.detail, at: entry.at.toISOString(), type: entry.event.type }
    : {
        at: entry.at.toISOString(),
        type: "callback",
        kind: entry.callback.kind,
        trusted: entry.callback.trusted,
        disposition: entry.callback.disposition,
        body: entry.callback.body,
      };
