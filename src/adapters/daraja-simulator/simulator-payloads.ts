import { nairobiParts, simulatorIds } from "./simulator-ids.ts";
import { type B2cOutcome, INITIATOR_INVALID_OUTCOME, type StkOutcome } from "./simulator-outcomes.ts";
import type { CheckoutRecord, PayoutRecord } from "./simulator-records.ts";

/**
 * The bodies the simulator sends to callback URLs, shaped like the real captures in
 * tests/daraja/fixtures (key order, number types, the value-less Balance item, Safaricom's internal URLs).
 */

const PROCESSED = "The service request is processed successfully.";
const B2C_REFERENCE_DATA = {
  ReferenceItem: {
    Key: "QueueTimeoutURL",
    Value: "https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit",
  },
};
const STATUS_REFERENCE_DATA = { ReferenceItem: { Key: "Occasion" } };
const RECIPIENT_NAME = "SIMULATED RECIPIENT";
const DEBIT_PARTY_NAME = "PayMe Simulator";

type Failed = Extract<B2cOutcome, { kind: "failed" }>;

/** ResultCode and ResultDesc of a settled STK push. */
export function stkResult(outcome: StkOutcome): { readonly resultCode: number; readonly resultDesc: string } {
  return outcome.kind === "failed"
    ? { resultCode: outcome.resultCode, resultDesc: outcome.resultDesc }
    : { resultCode: 0, resultDesc: PROCESSED };
}

/**
 * The STK callback, as JSON text. JSON.stringify cannot write `1.00`, which Daraja sometimes sends, so the
 * Amount of a checkout marked `decimalAmount` is rewritten in that form.
 */
export function stkCallbackText(checkout: CheckoutRecord): string {
  const { resultCode, resultDesc } = stkResult(checkout.outcome);
  const stkCallback: Record<string, unknown> = {
    MerchantRequestID: checkout.merchantRequestId,
    CheckoutRequestID: checkout.checkoutRequestId,
    ResultCode: resultCode,
    ResultDesc: resultDesc,
  };
  if (resultCode === 0) {
    stkCallback.CallbackMetadata = {
      Item: [
        { Name: "Amount", Value: checkout.amount },
        { Name: "MpesaReceiptNumber", Value: checkout.receipt },
        // Real callbacks carry Balance with no Value at all.
        { Name: "Balance" },
        { Name: "TransactionDate", Value: Number(checkout.transactionDate) },
        { Name: "PhoneNumber", Value: Number(checkout.phone) },
      ],
    };
  }
  const text = JSON.stringify({ Body: { stkCallback } });
  return checkout.decimalAmount ? text.replace(/("Name":"Amount","Value":)(\d+)(?=\})/, "$1$2.00") : text;
}

/** The B2C result sent to ResultURL: parameters on success only, as Daraja does. */
export function b2cResultBody(payout: PayoutRecord, outcome: B2cOutcome, completedAt: Date): unknown {
  const base = {
    ResultType: 0,
    ResultCode: outcome.kind === "failed" ? outcome.resultCode : 0,
    ResultDesc: outcome.kind === "failed" ? outcome.resultDesc : PROCESSED,
    OriginatorConversationID: payout.originatorConversationId,
    ConversationID: payout.conversationId,
    TransactionID: payout.receipt,
  };
  if (outcome.kind === "failed") {
    return { Result: { ...base, ReferenceData: B2C_REFERENCE_DATA } };
  }
  const p = nairobiParts(completedAt);
  return {
    Result: {
      ...base,
      ResultParameters: {
        ResultParameter: [
          { Key: "TransactionAmount", Value: payout.amount },
          { Key: "TransactionReceipt", Value: payout.receipt },
          { Key: "ReceiverPartyPublicName", Value: `${payout.phone} - ${RECIPIENT_NAME}` },
          {
            Key: "TransactionCompletedDateTime",
            Value: `${p.day}.${p.month}.${p.year} ${p.hours}:${p.minutes}:${p.seconds}`,
          },
          { Key: "B2CUtilityAccountAvailableFunds", Value: 98834.0 },
          { Key: "B2CWorkingAccountAvailableFunds", Value: 100000.0 },
          { Key: "B2CRecipientIsRegisteredCustomer", Value: "Y" },
          { Key: "B2CChargesPaidAccountAvailableFunds", Value: 0.0 },
        ],
      },
      ReferenceData: B2C_REFERENCE_DATA,
    },
  };
}

/**
 * The notification sent to QueueTimeOutURL. No real one has been published; this follows the
 * shape integrators assume.
 */
export function queueTimeoutBody(payout: PayoutRecord): unknown {
  return {
    Result: {
      ResultType: 1,
      ResultCode: 1,
      ResultDesc: "The service request has timed out.",
      OriginatorConversationID: payout.originatorConversationId,
      ConversationID: payout.conversationId,
      TransactionID: simulatorIds.placeholderReceipt(),
    },
  };
}

/**
 * The Transaction Status result sent to the query's ResultURL. ResultCode is about the query; the payout's own
 * state is in the TransactionStatus parameter, except for a failed payout, whose failure code is repeated
 * (what Daraja does there is undocumented). An unknown transaction gets 2032, the simulator's choice.
 */
export function statusResultBody(input: {
  readonly ack: { readonly ConversationID: string; readonly OriginatorConversationID: string };
  readonly initiatorAccepted: boolean;
  readonly payout: { readonly record: PayoutRecord; readonly outcome: B2cOutcome } | null;
  readonly now: Date;
}): unknown {
  const { ack } = input;
  const base = { ResultType: 0, ...ack, TransactionID: simulatorIds.placeholderReceipt() };
  const failure = (outcome: Failed) => ({
    Result: {
      ...base,
      ResultCode: outcome.resultCode,
      ResultDesc: outcome.resultDesc,
      ReferenceData: STATUS_REFERENCE_DATA,
    },
  });
  if (!input.initiatorAccepted) {
    return failure(INITIATOR_INVALID_OUTCOME);
  }
  if (input.payout === null) {
    return failure({ kind: "failed", resultCode: 2032, resultDesc: "The transaction does not exist." });
  }
  if (input.payout.outcome.kind === "failed") {
    return failure(input.payout.outcome);
  }
  const payout = input.payout.record;
  const stamp = (at: Date) => {
    const p = nairobiParts(at);
    return `${p.year}${p.month}${p.day}${p.hours}${p.minutes}${p.seconds}`;
  };
  return {
    Result: {
      ...base,
      ResultCode: 0,
      ResultDesc: PROCESSED,
      ResultParameters: {
        ResultParameter: [
          { Key: "DebitPartyName", Value: `${payout.shortcode} - ${DEBIT_PARTY_NAME}` },
          { Key: "CreditPartyName", Value: `${payout.phone} - ${RECIPIENT_NAME}` },
          { Key: "OriginatorConversationID", Value: payout.originatorConversationId },
          { Key: "InitiatedTime", Value: stamp(payout.requestedAt) },
          { Key: "DebitAccountType", Value: "Utility Account" },
          { Key: "DebitPartyCharges", Value: "Fee For B2C Payment|KES|22.40" },
          { Key: "TransactionReason" },
          { Key: "ReasonType", Value: "Business Payment to Customer via API" },
          { Key: "TransactionStatus", Value: "Completed" },
          { Key: "FinalisedTime", Value: stamp(payout.completedAt ?? input.now) },
          { Key: "Amount", Value: String(payout.amount) },
          { Key: "ConversationID", Value: payout.conversationId },
          { Key: "ReceiptNo", Value: payout.receipt },
        ],
      },
      ReferenceData: STATUS_REFERENCE_DATA,
    },
  };
}
