import { simulatorIds } from "./simulator-ids.ts";
import type { CheckoutRecord } from "./simulator-records.ts";

/**
 * The bodies the simulator sends about look-ups (Transaction Status of a paid STK push, queue timeouts of a
 * Transaction Status or Account Balance query), shaped like the real captures in tests/daraja/fixtures.
 */

const PROCESSED = "The service request is processed successfully.";

/** yyyyMMddHHmmss in Nairobi time, as Transaction Status writes its times. */
function stamp(at: Date): string {
  const nairobi = new Date(at.getTime() + 3 * 3600_000).toISOString();
  return nairobi.slice(0, 19).replace(/[-T:]/g, "");
}

/**
 * The Transaction Status result for a paid STK push: the customer is the debit party, the business's shortcode
 * the credit party, "Completed" with the amount, receipt and time it was paid.
 */
export function checkoutStatusResultBody(
  checkout: CheckoutRecord,
  ack: { readonly ConversationID: string; readonly OriginatorConversationID: string },
  now: Date,
): unknown {
  const paidAt = checkout.transactionDate ?? stamp(now);
  const reasonType =
    checkout.transactionType === "CustomerBuyGoodsOnline" ? "Buy Goods Online" : "Pay Bill Online";
  return {
    Result: {
      ResultType: 0,
      ResultCode: 0,
      ResultDesc: PROCESSED,
      ...ack,
      TransactionID: simulatorIds.placeholderReceipt(),
      ResultParameters: {
        ResultParameter: [
          { Key: "DebitPartyName", Value: `${checkout.phone} - SIMULATED CUSTOMER` },
          { Key: "CreditPartyName", Value: `${checkout.partyB} - Simulated Shop` },
          { Key: "OriginatorConversationID", Value: ack.OriginatorConversationID },
          { Key: "InitiatedTime", Value: paidAt },
          { Key: "DebitAccountType", Value: "MMF Account For Customer" },
          { Key: "DebitPartyCharges" },
          { Key: "TransactionReason" },
          { Key: "ReasonType", Value: reasonType },
          { Key: "TransactionStatus", Value: "Completed" },
          { Key: "FinalisedTime", Value: paidAt },
          { Key: "Amount", Value: String(checkout.amount) },
          { Key: "ConversationID", Value: ack.ConversationID },
          { Key: "ReceiptNo", Value: checkout.receipt },
        ],
      },
      ReferenceData: { ReferenceItem: { Key: "Occasion" } },
    },
  };
}

/** A queue timeout of a query: it waited too long in M-Pesa's queue and will not be answered. */
export function lookupQueueTimeoutBody(ack: {
  readonly ConversationID: string;
  readonly OriginatorConversationID: string;
}): unknown {
  return {
    Result: {
      ResultType: 1,
      ResultCode: 1,
      ResultDesc: "The service request has timed out.",
      ...ack,
      TransactionID: simulatorIds.placeholderReceipt(),
    },
  };
}
