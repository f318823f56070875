import * as v from "valibot";
import { Kes } from "../../domain/kes.ts";
import { Msisdn } from "../../domain/msisdn.ts";
import { Shortcode } from "../../domain/shortcode.ts";
import { domainValue, mayBeLeftOut } from "./domain-value.ts";

/** An id in a path or query: PayMe's ids are UUIDs. */
export const idParam = v.pipe(v.string("is required"), v.uuid("must be an id as PayMe issues them (a UUID)"));

/**
 * A list's free-text `?q=`: trimmed, 1 to `max` characters, and no control character (C0, DEL, C1). A NUL could
 * not even be sent to PostgreSQL as a parameter, and no name, SKU, receipt or phone holds any of them, so they
 * are refused as a rule of the field (400, naming `q`) before any query runs.
 */
export const searchText = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(max, `must be at most ${max} characters`),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
    v.check((text) => !/[\u0000-\u001f\u007f-\u009f]/.test(text), "must not contain control characters"),
  );

/** `?businessId=`: which of the caller's businesses a config route means; left out when they have one. */
export const ChosenBusinessQuery = v.object({ businessId: v.optional(idParam) });

/** How the OpenAPI document describes `ChosenBusinessQuery`. */
export const CHOSEN_BUSINESS_QUERY_DOC = [
  {
    name: "businessId",
    description: "Needed when you have more than one business.",
    schema: { type: "string", format: "uuid" },
  },
] as const;

/** A Kenyan mobile number in any form Msisdn reads, held as its 12-digit form. */
export const msisdnField = (description: string) =>
  domainValue((input) => Msisdn.parse(input), {
    type: "string",
    description: `${description} Any Kenyan form: 0712345678, 712345678, 254712345678 or +254712345678.`,
    examples: ["0712345678"],
  });

const shillings = (parse: (input: unknown) => ReturnType<typeof Kes.of>, min: number, max: number) =>
  domainValue(parse, {
    type: "integer",
    minimum: min,
    maximum: max,
    description: "Whole Kenyan shillings: M-Pesa has no cents.",
  });

/** What one STK push may ask for. */
export const pushAmount = shillings((input) => Kes.forPush(input), Kes.PUSH_MIN, Kes.PUSH_MAX);
/** The price of one item. */
export const priceAmount = shillings((input) => Kes.forPrice(input), Kes.PUSH_MIN, Kes.PUSH_MAX);
/** What one B2C payout may send. */
export const payoutAmount = shillings((input) => Kes.forPayout(input), Kes.PAYOUT_MIN, Kes.PAYOUT_MAX);

/** What the OpenAPI document says of an M-Pesa business number: text or a whole number, 5 to 7 digits. */
const shortcodeJson = (description: string) => ({
  oneOf: [
    { type: "string", pattern: `^\\d{${Shortcode.MIN_DIGITS},${Shortcode.MAX_DIGITS}}$` },
    { type: "integer", minimum: 10 ** (Shortcode.MIN_DIGITS - 1), maximum: 10 ** Shortcode.MAX_DIGITS - 1 },
  ],
  description,
});

/** An M-Pesa business number (a till, paybill, store or B2C shortcode), as text or a whole number. */
export const shortcodeField = (path: string, description: string) =>
  domainValue((input) => Shortcode.parse(input, path), shortcodeJson(description));

/** An M-Pesa business number that may be left out: null then. */
export const optionalShortcodeField = (path: string, description: string) =>
  mayBeLeftOut((input) => Shortcode.parse(input, path), shortcodeJson(description));
