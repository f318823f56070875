import * as v from "valibot";

/** A field of a Daraja request body, the rule it must meet, and whether it may be left out. */
export type FieldRule = {
  readonly field: string;
  readonly schema: v.GenericSchema;
  readonly optional?: boolean;
};

const digitsOf = (pattern: RegExp) =>
  v.union([
    v.pipe(v.string(), v.regex(pattern)),
    v.pipe(
      v.number(),
      v.integer(),
      v.check((value) => pattern.test(String(value))),
    ),
  ]);

const shortcode = digitsOf(/^\d{5,7}$/);
/** 2547XXXXXXXX or 2541XXXXXXXX. */
const msisdn = digitsOf(/^254[17]\d{8}$/);

/** Whole shillings only: M-Pesa has no cents. A number, or a string of digits (Daraja's sample sends "1"). */
const wholeAmount = (min: number, max: number) =>
  v.union([
    v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)),
    v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(min), v.maxValue(max)),
  ]);

/** YYYYMMDDHHmmss, a real calendar date and time. Its time zone cannot be checked (Daraja's rule is unknown). */
const timestamp = v.pipe(
  v.string(),
  v.regex(/^\d{14}$/),
  v.check((value) => {
    const [year, month, day, hours, minutes, seconds] = [0, 4, 6, 8, 10, 12].map((at, i) =>
      Number(value.slice(at, i === 0 ? 4 : at + 2)),
    ) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
    return (
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      date.getUTCHours() === hours &&
      date.getUTCMinutes() === minutes &&
      date.getUTCSeconds() === seconds
    );
  }),
);

const httpUrl = v.pipe(
  v.string(),
  v.check((value) => {
    if (value !== value.trim() || /\s/.test(value)) {
      return false;
    }
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }),
);

const text = (min: number, max: number) => v.pipe(v.string(), v.minLength(min), v.maxLength(max));
const base64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]+={0,2}$/));

/** M-Pesa Express (STK push), in the order Daraja's documentation lists them. */
export const STK_PUSH_RULES: readonly FieldRule[] = [
  { field: "BusinessShortCode", schema: shortcode },
  { field: "Password", schema: base64 },
  { field: "Timestamp", schema: timestamp },
  { field: "TransactionType", schema: v.picklist(["CustomerPayBillOnline", "CustomerBuyGoodsOnline"]) },
  { field: "Amount", schema: wholeAmount(1, 250_000) },
  { field: "PartyA", schema: msisdn },
  { field: "PartyB", schema: shortcode },
  { field: "PhoneNumber", schema: msisdn },
  { field: "CallBackURL", schema: httpUrl },
  {
    field: "AccountReference",
    schema: v.union([text(1, 12), v.pipe(v.number(), v.integer(), v.minValue(0))]),
  },
  { field: "TransactionDesc", schema: text(1, 13) },
];

export const STK_QUERY_RULES: readonly FieldRule[] = [
  { field: "BusinessShortCode", schema: shortcode },
  { field: "Password", schema: base64 },
  { field: "Timestamp", schema: timestamp },
  { field: "CheckoutRequestID", schema: text(1, 100) },
];

const B2C_COMMON_RULES: readonly FieldRule[] = [
  { field: "InitiatorName", schema: text(1, 100) },
  { field: "SecurityCredential", schema: base64 },
  { field: "CommandID", schema: v.picklist(["BusinessPayment", "SalaryPayment", "PromotionPayment"]) },
  { field: "Amount", schema: wholeAmount(10, 250_000) },
  { field: "PartyA", schema: shortcode },
  { field: "PartyB", schema: msisdn },
  { field: "Remarks", schema: text(2, 100) },
  { field: "QueueTimeOutURL", schema: httpUrl },
  { field: "ResultURL", schema: httpUrl },
  { field: "Occassion", schema: text(0, 100), optional: true },
];

/** B2C v1: Daraja generates the OriginatorConversationID. */
export const B2C_V1_RULES: readonly FieldRule[] = B2C_COMMON_RULES;

/** B2C v3: the caller's OriginatorConversationID, unique per request. */
export const B2C_V3_RULES: readonly FieldRule[] = [
  { field: "OriginatorConversationID", schema: text(1, 100) },
  ...B2C_COMMON_RULES,
];

export const TRANSACTION_STATUS_RULES: readonly FieldRule[] = [
  { field: "Initiator", schema: text(1, 100) },
  { field: "SecurityCredential", schema: base64 },
  { field: "CommandID", schema: v.literal("TransactionStatusQuery") },
  { field: "TransactionID", schema: text(0, 100), optional: true },
  { field: "OriginalConversationID", schema: text(0, 100), optional: true },
  { field: "PartyA", schema: shortcode },
  { field: "IdentifierType", schema: v.picklist(["1", "2", "4", 1, 2, 4]) },
  { field: "ResultURL", schema: httpUrl },
  { field: "QueueTimeOutURL", schema: httpUrl },
  { field: "Remarks", schema: text(1, 100) },
  { field: "Occasion", schema: text(0, 100), optional: true },
];

export const ACCOUNT_BALANCE_RULES: readonly FieldRule[] = [
  { field: "Initiator", schema: text(1, 100) },
  { field: "SecurityCredential", schema: base64 },
  { field: "CommandID", schema: v.literal("AccountBalance") },
  { field: "PartyA", schema: shortcode },
  { field: "IdentifierType", schema: v.picklist(["1", "2", "4", 1, 2, 4]) },
  { field: "Remarks", schema: text(1, 100) },
  { field: "QueueTimeOutURL", schema: httpUrl },
  { field: "ResultURL", schema: httpUrl },
];

/** The first field that is missing or breaks its rule, as Daraja names it in "Bad Request - Invalid <Field>". */
export function firstInvalidField(
  body: Readonly<Record<string, unknown>>,
  rules: readonly FieldRule[],
): string | null {
  for (const rule of rules) {
    const value = body[rule.field];
    if (value === undefined || value === null) {
      if (rule.optional === true) {
        continue;
      }
      return rule.field;
    }
    if (!v.is(rule.schema, value)) {
      return rule.field;
    }
  }
  return null;
}
