import * as v from "valibot";
import type { StkCallback } from "../../application/shared/daraja-notifications.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { fitsLimit, tooLong, withinLimit } from "./callback-field-limits.ts";
import { describeIssue, describeKeys, issuePath } from "./describe-issue.ts";

/** Why a body is not an STK callback PayMe can take; `field` is the dotted path of the field at fault, if one is. */
export type NotStkCallback = {
  readonly type: "not_stk_callback";
  readonly message: string;
  readonly field: string | null;
};

const id = v.pipe(v.string(), v.trim(), v.minLength(1, "must be a non-empty string"), withinLimit("id"));

const MetadataItem = v.object({ Name: v.string(), Value: v.optional(v.unknown()) });

const StkCallbackBody = v.object({
  MerchantRequestID: v.optional(v.nullable(v.pipe(v.string(), v.trim(), withinLimit("id")))),
  CheckoutRequestID: id,
  ResultCode: v.pipe(
    v.union([v.string(), v.number()], "must be a number or a string"),
    v.transform((code) => String(code).trim()),
    v.minLength(1, "must not be empty"),
    withinLimit("resultCode"),
  ),
  ResultDesc: v.optional(v.pipe(v.string(), v.trim(), withinLimit("resultDesc")), ""),
  CallbackMetadata: v.optional(
    v.nullable(
      v.object({
        // One item would presumably arrive as an object, as ResultParameter does in B2C results.
        Item: v.optional(v.union([v.array(MetadataItem), MetadataItem]), []),
      }),
    ),
  ),
});

/** An STK callback as Safaricom POSTs it: `{ Body: { stkCallback } }`. */
export const StkCallbackEnvelope = v.union(
  [
    v.object({ Body: v.object({ stkCallback: StkCallbackBody }) }),
    // The inner member alone, as some receivers and logs pass it on.
    v.object({ stkCallback: StkCallbackBody }),
  ],
  'must be {"Body":{"stkCallback":{…}}}',
);

/**
 * Reads an STK push callback (`{"Body":{"stkCallback":{…}}}`, or its `stkCallback` member alone) as Daraja
 * sends it: ResultCode a number or a string ("SFC_IC0003"); metadata items looked up by Name, in any order,
 * each Value possibly missing (Balance); Amount 1 or 1.00; PhoneNumber and TransactionDate as numbers (turned
 * into digit strings). Anything else (a B2C result, a query answer, junk) is `not_stk_callback`, with a message
 * naming what is wrong; so is a callback whose ids, code, description or receipt are longer than any Daraja
 * sends (see CALLBACK_FIELD_LIMITS), which could never be stored.
 */
export function parseStkCallback(json: unknown): Result<StkCallback, NotStkCallback> {
  const parsed = v.safeParse(StkCallbackEnvelope, json);
  if (!parsed.success) {
    return err({
      type: "not_stk_callback",
      message: `Not an STK callback: ${describeStkIssue(json, parsed.issues)}`,
      field: issuePath(parsed.issues),
    });
  }
  const wrapped = "Body" in parsed.output;
  const callback = "Body" in parsed.output ? parsed.output.Body.stkCallback : parsed.output.stkCallback;
  const rawItems = callback.CallbackMetadata?.Item ?? [];
  const items = Array.isArray(rawItems) ? rawItems : [rawItems];
  const item = (name: string): unknown => items.find((candidate) => candidate.Name.trim() === name)?.Value;

  const amount = numeric(item("Amount"));
  const phone = digits(item("PhoneNumber"));
  const transactionDate = digits(item("TransactionDate"));
  const receipt = item("MpesaReceiptNumber");
  const mpesaReceipt = typeof receipt === "string" && receipt.trim() !== "" ? receipt.trim() : null;
  if (!fitsLimit("id", mpesaReceipt)) {
    const field = `${wrapped ? "Body." : ""}stkCallback.CallbackMetadata.Item.MpesaReceiptNumber`;
    return err({
      type: "not_stk_callback",
      message: `Not an STK callback: ${field}: ${tooLong("id")}`,
      field,
    });
  }
  return ok({
    merchantRequestId: callback.MerchantRequestID || null,
    checkoutRequestId: callback.CheckoutRequestID,
    resultCode: callback.ResultCode,
    resultDesc: callback.ResultDesc,
    amount,
    mpesaReceipt,
    phone,
    transactionDate,
  });
}

/** A number, or a string holding one ("1.00" from homegrown senders); anything else is absent. */
function numeric(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return null;
}

/** A whole number sent as a JSON number (254708374149) or a string, as its digits. */
function digits(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) {
    return String(value);
  }
  if (typeof value === "string" && /^\d+$/.test(value.trim())) {
    return value.trim();
  }
  return null;
}

/** The most useful explanation: what the JSON looks like if it is not a callback at all, else the first issue. */
function describeStkIssue(json: unknown, issues: readonly v.BaseIssue<unknown>[]): string {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return 'expected a JSON object {"Body":{"stkCallback":{…}}}';
  }
  if ("Result" in json) {
    return 'this is a B2C or Transaction Status result ({"Result":…}), not {"Body":{"stkCallback":…}}';
  }
  if (!("Body" in json) && !("stkCallback" in json)) {
    return `expected {"Body":{"stkCallback":{…}}}, got an object with ${describeKeys(json)}`;
  }
  return describeIssue(issues);
}
