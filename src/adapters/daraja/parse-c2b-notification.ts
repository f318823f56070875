import type { C2bNotification } from "../../application/shared/daraja-notifications.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { parseMpesaTime } from "./parse-mpesa-time.ts";

/** Why a body is not a C2B notification PayMe can record; `field` names the field at fault. */
export type NotC2bNotification = {
  readonly type: "not_c2b_notification";
  readonly message: string;
  readonly field: string | null;
};

/** The largest amount one C2B payment may carry: far above M-Pesa's own limit, so only junk is refused. */
export const C2B_AMOUNT_MAX = 1_000_000;

/**
 * The longest value of each field PayMe keeps. Daraja's are far shorter (TransID 10, BillRefNumber at most 20,
 * a v1 MSISDN hash 64); anything longer is junk, kept for audit and never recorded.
 */
const LIMITS = {
  TransID: 32,
  TransactionType: 32,
  BillRefNumber: 64,
  MSISDN: 128,
  FirstName: 64,
  MiddleName: 64,
  LastName: 64,
} as const;

const WHOLE_AMOUNT = /^\s*(\d{1,9})(?:\.0{1,2})?\s*$/;
const RECEIPT = /^[A-Za-z0-9]{1,32}$/;
const SHORTCODE = /^\d{5,7}$/;

/** A field as text: a string trimmed, a number as its digits; anything else absent. */
function text(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (typeof value === "string") {
    return value.trim();
  }
  if (typeof value === "number" && Number.isFinite(value)) {
    return String(value);
  }
  return null;
}

const refuse = (field: string | null, message: string): Result<never, NotC2bNotification> =>
  err({
    type: "not_c2b_notification",
    message: `Not a C2B notification PayMe can record: ${field === null ? "" : `${field} `}${message}`,
    field,
  });

/** A name part Daraja did not mask (v2 masks with asterisks). */
const shownName = (part: string | null): string | null =>
  part === null || part === "" || /^\*+$/.test(part) ? null : part;

/**
 * Reads a C2B confirmation or validation as Daraja sends it: a flat JSON object with TransID, TransTime
 * (yyyyMMddHHmmss, Nairobi time), TransAmount ("3000.00"), BusinessShortCode, BillRefNumber, MSISDN (masked or
 * hashed) and the payer's names. A missing field, a fractional or non-numeric amount, an impossible time, or a
 * value longer than Daraja ever sends is `not_c2b_notification`.
 */
export function parseC2bNotification(json: unknown): Result<C2bNotification, NotC2bNotification> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return refuse(null, "expected a JSON object with TransID, TransAmount, BusinessShortCode, …");
  }
  const body = json as Record<string, unknown>;
  for (const [field, max] of Object.entries(LIMITS)) {
    const value = text(body, field);
    if (value !== null && value.length > max) {
      return refuse(field, `must be at most ${max} characters`);
    }
  }
  const receipt = text(body, "TransID");
  if (receipt === null || !RECEIPT.test(receipt)) {
    return refuse("TransID", "must be an M-Pesa receipt (letters and digits)");
  }
  const amountText = text(body, "TransAmount");
  const amountMatch = amountText === null ? null : WHOLE_AMOUNT.exec(amountText);
  const amount = amountMatch === null ? Number.NaN : Number(amountMatch[1]);
  if (!Number.isInteger(amount) || amount < 1 || amount > C2B_AMOUNT_MAX) {
    return refuse("TransAmount", `must be whole shillings from 1 to ${C2B_AMOUNT_MAX}`);
  }
  const shortcode = text(body, "BusinessShortCode");
  if (shortcode === null || !SHORTCODE.test(shortcode)) {
    return refuse("BusinessShortCode", "must be 5 to 7 digits");
  }
  const paidAt = parseMpesaTime(text(body, "TransTime"));
  if (paidAt === null) {
    return refuse("TransTime", "must be a time as yyyyMMddHHmmss");
  }
  const phone = text(body, "MSISDN");
  if (phone === null || phone === "") {
    return refuse("MSISDN", "is required");
  }
  const accountNumber = text(body, "BillRefNumber");
  const names = ["FirstName", "MiddleName", "LastName"]
    .map((field) => shownName(text(body, field)))
    .filter((part) => part !== null);
  return ok({
    transactionType: text(body, "TransactionType") ?? "",
    receipt: receipt.toUpperCase(),
    paidAt,
    amount,
    shortcode,
    accountNumber: accountNumber === null || accountNumber === "" ? null : accountNumber,
    phone,
    payerName: names.length === 0 ? null : names.join(" "),
  });
}
