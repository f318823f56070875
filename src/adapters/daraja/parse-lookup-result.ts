import type { BalanceAccount, LookupOutcome } from "../../domain/lookup-query.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { parseB2cQueueTimeout } from "./parse-b2c-queue-timeout.ts";
import { type NotB2cResult, parseB2cResult } from "./parse-b2c-result.ts";
import { parseMpesaTime } from "./parse-mpesa-time.ts";

/** Why a body is not a look-up's result; `field` is the dotted path of the field at fault, if one is. */
export type NotLookupResult = { readonly message: string; readonly field: string | null };

/** How long a party's name or a reason type may be: M-Pesa's are far shorter. */
const TEXT_MAX = 200;
/** An account's figure as Daraja writes it: a decimal, possibly negative (a Charges Paid account), 2 places at most. */
const FIGURE = /^-?\d{1,15}(\.\d{1,2})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const ACCOUNTS_MAX = 20;

/**
 * A Transaction Status result (`{"Result":{…}}`, or the inner object alone) read into a look-up's outcome.
 * ResultCode 0 is the transaction: receipt (ReceiptNo), status (TransactionStatus), amount, the debit and credit
 * parties, when it was finalised (FinalisedTime, Nairobi time) and the reason type. Safaricom's own documented
 * sample names the credit party a second `DebitPartyName`: the second one is taken as the credit party when
 * there is no CreditPartyName. Any other ResultCode fails the query with ResultDesc as the reason.
 */
export function parseTransactionStatusResult(json: unknown): Result<LookupOutcome, NotLookupResult> {
  const parsed = parseB2cResult(json);
  if (!parsed.ok) {
    return err(notResult(parsed.error));
  }
  const result = parsed.value;
  if (result.resultCode !== "0") {
    return ok(failed(result.resultCode, result.resultDesc));
  }
  const debitParties = parameterValues(json, "DebitPartyName");
  const text = (value: string | number | null | undefined) => {
    const trimmed = value === null || value === undefined ? "" : String(value).trim();
    return trimmed === "" ? null : trimmed.slice(0, TEXT_MAX);
  };
  const amount = result.amount;
  return ok({
    type: "transaction",
    transaction: {
      receipt: text(result.parameters.ReceiptNo) ?? "",
      status: text(result.transactionStatus) ?? "Unknown",
      amount: amount !== null && Number.isFinite(amount) && amount <= 1e9 ? amount : null,
      debitParty: text(debitParties[0]),
      creditParty: text(result.parameters.CreditPartyName) ?? text(debitParties[1]),
      completedAt: result.completedAt,
      reasonType: text(result.parameters.ReasonType),
    },
  });
}

/**
 * An Account Balance result read into a look-up's outcome. ResultCode 0 carries `AccountBalance`, one string of
 * `&`-separated accounts, each `Name|Currency|Current|Available|Reserved|Uncleared`, and `BOCompletedTime`
 * (yyyyMMddHHmmss, Nairobi time). The figures are kept as the decimal strings Daraja wrote; the current balance
 * is the account's `total`. A successful result whose balance string cannot be read fails the query, saying so,
 * rather than showing a balance PayMe is unsure of. Any other ResultCode fails it with ResultDesc as the reason.
 */
export function parseAccountBalanceResult(json: unknown): Result<LookupOutcome, NotLookupResult> {
  const parsed = parseB2cResult(json);
  if (!parsed.ok) {
    return err(notResult(parsed.error));
  }
  const result = parsed.value;
  if (result.resultCode !== "0") {
    return ok(failed(result.resultCode, result.resultDesc));
  }
  const accounts = parseBalanceString(result.parameters.AccountBalance);
  if (accounts === null) {
    return ok(failed("0", "M-Pesa answered with a balance PayMe could not read. Ask again later."));
  }
  return ok({ type: "balance", accounts, at: parseMpesaTime(result.parameters.BOCompletedTime) });
}

/**
 * `Working Account|KES|700000.00|700000.00|0.00|0.00&Float Account|KES|0.00|…`: every account, or null when
 * any part is not as Daraja writes it.
 */
export function parseBalanceString(value: string | number | null | undefined): BalanceAccount[] | null {
  if (typeof value !== "string" || value.trim() === "") {
    return null;
  }
  const parts = value.split("&");
  if (parts.length > ACCOUNTS_MAX) {
    return null;
  }
  const accounts: BalanceAccount[] = [];
  for (const part of parts) {
    const fields = part.split("|").map((field) => field.trim());
    const [name, currency, total, available, reserved, uncleared] = fields;
    if (
      fields.length !== 6 ||
      name === undefined ||
      name === "" ||
      name.length > 64 ||
      currency === undefined ||
      !CURRENCY.test(currency) ||
      [total, available, reserved, uncleared].some((figure) => figure === undefined || !FIGURE.test(figure))
    ) {
      return null;
    }
    accounts.push({
      name,
      currency,
      available: available ?? "",
      reserved: reserved ?? "",
      uncleared: uncleared ?? "",
      total: total ?? "",
    });
  }
  return accounts;
}

/** A queue timeout on a look-up's timeout URL: M-Pesa will not answer the query. */
export function parseLookupTimeout(json: unknown): Result<LookupOutcome, NotLookupResult> {
  const parsed = parseB2cQueueTimeout(json);
  return parsed.ok
    ? ok(failed(null, "M-Pesa's queue timed out before answering. Ask again."))
    : err({ message: parsed.error.message, field: parsed.error.field });
}

function failed(resultCode: string | null, reason: string): LookupOutcome {
  return { type: "failed", resultCode, reason: reason.trim() === "" ? "M-Pesa gave no reason." : reason };
}

function notResult(error: NotB2cResult): NotLookupResult {
  return { message: error.message, field: error.field };
}

/** Every Value of a ResultParameter with this Key, in order (parseB2cResult keeps only the first). */
function parameterValues(json: unknown, key: string): (string | number | null)[] {
  const result = isObject(json) && isObject(json.Result) ? json.Result : json;
  const container = isObject(result) ? result.ResultParameters : undefined;
  const list = isObject(container) ? container.ResultParameter : undefined;
  const entries = Array.isArray(list) ? list : list === undefined ? [] : [list];
  return entries
    .filter((entry): entry is Record<string, unknown> => isObject(entry) && entry.Key === key)
    .map((entry) =>
      typeof entry.Value === "string" || typeof entry.Value === "number" ? entry.Value : null,
    );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
