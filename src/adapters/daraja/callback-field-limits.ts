import * as v from "valibot";

/**
 * How long each field of a Safaricom callback that PayMe stores or looks up may be. A callback over any of these
 * is refused with 400 at the edge: stored, an over-long id breaks its btree index (PostgreSQL refuses index rows
 * over about 2.7 kB), so the callback could never be stored and would be spooled and replayed for ever.
 *
 * What Daraja really sends is far shorter: CheckoutRequestIDs are about 30 characters
 * (`ws_CO_16112025183706196790370094`), MerchantRequestIDs and ConversationIDs about 32, OriginatorConversationIDs
 * a UUID or `62947-35666607-1`, receipts and TransactionIDs 10 (`NLJ7RT61SV`), ResultCodes at most 12
 * (`SFC_IC0003`, `500.001.1001`), ResultDescs under 120, recipient names like `2547XXXXXXXX - FIRST LAST`.
 * The limits leave room for change without ever reaching what PostgreSQL cannot index.
 */
export const CALLBACK_FIELD_LIMITS = {
  /** Every id: CheckoutRequestID, MerchantRequestID, OriginatorConversationID, ConversationID, TransactionID, receipts. */
  id: 64,
  resultCode: 32,
  resultDesc: 1024,
  /** ReceiverPartyPublicName, CreditPartyName. */
  partyName: 256,
  /** A Transaction Status result's TransactionStatus ("Completed"). */
  status: 64,
} as const;

export type CallbackField = keyof typeof CALLBACK_FIELD_LIMITS;

/** The message of a field over its limit, the same wherever it is checked. */
export const tooLong = (field: CallbackField): string =>
  `must be at most ${CALLBACK_FIELD_LIMITS[field]} characters`;

/** A valibot check that a (trimmed) string is within its field's limit. */
export const withinLimit = (field: CallbackField) =>
  v.maxLength<string, number, string>(CALLBACK_FIELD_LIMITS[field], tooLong(field));

/** True when `value` (a string or a number, as Daraja sends ids) is within its field's limit once trimmed. */
export const fitsLimit = (field: CallbackField, value: string | number | null): boolean =>
  value === null || String(value).trim().length <= CALLBACK_FIELD_LIMITS[field];
