import * as v from "valibot";
import { withinLimit } from "./callback-field-limits.ts";

/**
 * Schemas of Daraja's synchronous success answers, one per API. Each keeps only what the gateway uses, and
 * accepts the type variations seen in captured traffic (numbers as strings and the reverse).
 */

const text = v.pipe(v.string(), v.trim(), v.minLength(1));
/** An id PayMe stores and indexes: longer than Daraja's own could never be stored, so the answer is not trusted. */
const id = v.pipe(text, withinLimit("id"));
const code = v.pipe(
  v.union([v.string(), v.number()]),
  v.transform((value) => String(value).trim()),
  v.minLength(1),
);

/** `{"access_token", "expires_in"}`; expires_in is a string ("3599") in every capture, a number in the docs. */
export const OAuthTokenResponse = v.object({
  access_token: text,
  expires_in: v.pipe(
    v.union([v.pipe(v.string(), v.trim(), v.regex(/^\d+$/)), v.pipe(v.number(), v.integer(), v.minValue(0))]),
    v.transform(Number),
  ),
});

/** The STK push acknowledgement: accepted for processing, not paid. */
export const StkPushResponse = v.object({
  MerchantRequestID: v.optional(v.pipe(v.string(), withinLimit("id"))),
  CheckoutRequestID: id,
  ResponseCode: code,
  ResponseDescription: v.optional(v.string()),
});

/** A final STK Query answer (HTTP 200). ResultCode is a string here, but tolerate a number. */
export const StkQueryResponse = v.object({
  ResponseCode: v.optional(code),
  ResultCode: code,
  ResultDesc: v.optional(v.string(), ""),
});

/** The B2C / Transaction Status acknowledgement. */
export const B2cAcceptedResponse = v.object({
  ConversationID: id,
  OriginatorConversationID: id,
  ResponseCode: code,
  ResponseDescription: v.optional(v.string()),
});

/** The C2B Register URL answer; Daraja spells OriginatorCoversationID so. */
export const C2bRegisterResponse = v.object({
  OriginatorCoversationID: v.optional(v.pipe(v.string(), withinLimit("id"))),
  OriginatorConversationID: v.optional(v.pipe(v.string(), withinLimit("id"))),
  ResponseCode: code,
  ResponseDescription: v.optional(v.pipe(v.string(), v.maxLength(256))),
});

/** A Pull Transactions query answer: ResponseCode 1000 with records, 1001 for none. */
export const PullTransactionsResponse = v.object({
  ResponseCode: code,
  Response: v.optional(v.array(v.array(v.record(v.string(), v.unknown()))), []),
});
