/**
 * The simulator's outcome table: the payer's (or payee's) phone number picks what happens (README,
 * "Configuration": the simulator). Any other number is paid / completed.
 */
export const SIMULATOR_PHONES = {
  /** STK: cancelled by the user (1032). */
  cancelled: "254700000001",
  /** STK: insufficient balance (1). B2C: insufficient funds in the B2C account (1). */
  insufficientFunds: "254700000002",
  /** STK: user unreachable (1037). */
  unreachable: "254700000003",
  /** STK: wrong PIN (2001). B2C: initiator invalid (2001). */
  wrongPin: "254700000004",
  /** STK: paid, but the callback is never sent; only STK Query knows. */
  callbackNeverSent: "254700000005",
  /** STK: paid, callback delivered three times. B2C: completed, result delivered twice. */
  duplicateCallbacks: "254700000006",
  /** STK: synchronous 500.001.1001 "Unable to lock subscriber". */
  subscriberBusy: "254700000007",
  /** B2C: queue timeout, then Transaction Status says completed. */
  queueTimeout: "254700000008",
  /** B2C: recipient not registered (2040). */
  unregisteredRecipient: "254700000009",
} as const;

export type StkOutcome =
  | { readonly kind: "busy" }
  | { readonly kind: "paid"; readonly deliveries: number }
  | { readonly kind: "failed"; readonly resultCode: number; readonly resultDesc: string };

export type B2cOutcome =
  | { readonly kind: "completed"; readonly deliveries: number }
  | { readonly kind: "queue_timeout" }
  | { readonly kind: "failed"; readonly resultCode: number; readonly resultDesc: string };

const INITIATOR_INVALID = "The initiator information is invalid.";
const INSUFFICIENT = "The balance is insufficient for the transaction.";

/** What an STK push to this phone does. */
export function stkOutcomeFor(phone: string): StkOutcome {
  switch (phone) {
    case SIMULATOR_PHONES.cancelled:
      return { kind: "failed", resultCode: 1032, resultDesc: "Request Cancelled by user." };
    case SIMULATOR_PHONES.insufficientFunds:
      return { kind: "failed", resultCode: 1, resultDesc: INSUFFICIENT };
    case SIMULATOR_PHONES.unreachable:
      return { kind: "failed", resultCode: 1037, resultDesc: "DS timeout user cannot be reached." };
    case SIMULATOR_PHONES.wrongPin:
      return { kind: "failed", resultCode: 2001, resultDesc: INITIATOR_INVALID };
    case SIMULATOR_PHONES.callbackNeverSent:
      return { kind: "paid", deliveries: 0 };
    case SIMULATOR_PHONES.duplicateCallbacks:
      return { kind: "paid", deliveries: 3 };
    case SIMULATOR_PHONES.subscriberBusy:
      return { kind: "busy" };
    default:
      return { kind: "paid", deliveries: 1 };
  }
}

/** What a B2C payment to this phone does, once the initiator's credentials are right. */
export function b2cOutcomeFor(phone: string): B2cOutcome {
  switch (phone) {
    case SIMULATOR_PHONES.insufficientFunds:
      return { kind: "failed", resultCode: 1, resultDesc: INSUFFICIENT };
    case SIMULATOR_PHONES.wrongPin:
      return { kind: "failed", resultCode: 2001, resultDesc: INITIATOR_INVALID };
    case SIMULATOR_PHONES.duplicateCallbacks:
      return { kind: "completed", deliveries: 2 };
    case SIMULATOR_PHONES.queueTimeout:
      return { kind: "queue_timeout" };
    case SIMULATOR_PHONES.unregisteredRecipient:
      return {
        kind: "failed",
        resultCode: 2040,
        resultDesc:
          "Credit Party customer type (Unregistered or Registered Customer) can't be supported by the service .",
      };
    default:
      return { kind: "completed", deliveries: 1 };
  }
}

/** The B2C failure for an initiator whose name, password or certificate is wrong. */
export const INITIATOR_INVALID_OUTCOME: Extract<B2cOutcome, { kind: "failed" }> = {
  kind: "failed",
  resultCode: 2001,
  resultDesc: INITIATOR_INVALID,
};
