import * as v from "valibot";
import type { B2cResult } from "../../application/shared/daraja-notifications.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { type CallbackField, fitsLimit, tooLong, withinLimit } from "./callback-field-limits.ts";
import { describeIssue, describeKeys, issuePath } from "./describe-issue.ts";
import { parseMpesaTime } from "./parse-mpesa-time.ts";

/** Why a body is not a result PayMe can take; `field` is the dotted path of the field at fault, if one is. */
export type NotB2cResult = {
  readonly type: "not_b2c_result";
  readonly message: string;
  readonly field: string | null;
};

const code = v.pipe(
  v.union([v.string(), v.number()], "must be a number or a string"),
  v.transform((value) => String(value).trim()),
  v.minLength(1, "must not be empty"),
  withinLimit("resultCode"),
);
const optionalId = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.string(), v.number()]),
      v.transform((value) => String(value).trim()),
      withinLimit("id"),
    ),
  ),
);

/**
 * The ResultParameters PayMe reads into a payout (or looks a payout up by), with their limits. The others are
 * kept only in the audit record's body, which the request's size limit bounds.
 */
const PARAMETER_LIMITS: Readonly<Record<string, CallbackField>> = {
  TransactionReceipt: "id",
  ReceiptNo: "id",
  OriginatorConversationID: "id",
  ConversationID: "id",
  ReceiverPartyPublicName: "partyName",
  CreditPartyName: "partyName",
  TransactionStatus: "status",
};

const ResultParameter = v.object({ Key: v.string(), Value: v.optional(v.unknown()) });

const ResultBody = v.object({
  ResultType: v.optional(v.nullable(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/))]))),
  ResultCode: code,
  ResultDesc: v.optional(v.pipe(v.string(), v.trim(), withinLimit("resultDesc")), ""),
  OriginatorConversationID: v.pipe(
    v.union([v.string(), v.number()], "must be a string"),
    v.transform((value) => String(value).trim()),
    v.minLength(1, "must not be empty"),
    withinLimit("id"),
  ),
  ConversationID: optionalId,
  TransactionID: optionalId,
  ResultParameters: v.optional(
    v.nullable(
      v.object({
        // One parameter arrives as an object, not a list of one.
        ResultParameter: v.optional(v.union([v.array(ResultParameter), ResultParameter]), []),
      }),
    ),
  ),
});

/** A B2C or Transaction Status result as Safaricom POSTs it: `{ Result: { … } }`. */
export const ResultEnvelope = v.union(
  [
    v.object({ Result: ResultBody }),
    // The inner object alone, as some receivers log it.
    ResultBody,
  ],
  'must be {"Result":{…}}',
);

/**
 * Reads a B2C result or a Transaction Status result (`{"Result":{…}}`, or that inner object alone):
 * ResultCode a number or a string; ResultParameter a list or a single object, looked up by Key (the first of
 * a repeated key wins), a Value possibly missing; receipt, amount and recipient read from either API's keys.
 * For a Transaction Status result, `originatorConversationId` is that of the status query itself: the queried
 * payout's is in `parameters.OriginatorConversationID`. A result whose ids, code, description, receipt, recipient
 * or status are longer than any Daraja sends (see CALLBACK_FIELD_LIMITS) is refused: it could never be stored.
 */
export function parseB2cResult(json: unknown): Result<B2cResult, NotB2cResult> {
  const parsed = v.safeParse(ResultEnvelope, json);
  if (!parsed.success) {
    return err({
      type: "not_b2c_result",
      message: `Not a B2C or Transaction Status result: ${describeB2cIssue(json, parsed.issues)}`,
      field: issuePath(issuesOfB2c(json, parsed.issues)),
    });
  }
  const wrapped = "Result" in parsed.output;
  const result = "Result" in parsed.output ? parsed.output.Result : parsed.output;
  const rawParameters = result.ResultParameters?.ResultParameter ?? [];
  const list = Array.isArray(rawParameters) ? rawParameters : [rawParameters];
  const parameters: Record<string, string | number | null> = {};
  for (const parameter of list) {
    const key = parameter.Key.trim();
    if (!(key in parameters)) {
      parameters[key] = scalar(parameter.Value);
    }
  }
  for (const [key, field] of Object.entries(PARAMETER_LIMITS)) {
    if (!fitsLimit(field, parameters[key] ?? null)) {
      const path = `${wrapped ? "Result." : ""}ResultParameters.ResultParameter.${key}`;
      return err({
        type: "not_b2c_result",
        message: `Not a B2C or Transaction Status result: ${path}: ${tooLong(field)}`,
        field: path,
      });
    }
  }
  const first = (...keys: string[]) =>
    keys.map((key) => parameters[key]).find((value) => value != null) ?? null;
  const resultType = result.ResultType;

  return ok({
    resultType: resultType === undefined || resultType === null ? null : Number(resultType),
    resultCode: result.ResultCode,
    resultDesc: result.ResultDesc,
    originatorConversationId: result.OriginatorConversationID,
    conversationId: result.ConversationID || null,
    transactionId: result.TransactionID || null,
    receipt: asText(first("TransactionReceipt", "ReceiptNo")),
    amount: asAmount(first("TransactionAmount", "Amount")),
    recipientName: asText(first("ReceiverPartyPublicName", "CreditPartyName")),
    completedAt: parseMpesaTime(first("TransactionCompletedDateTime", "FinalisedTime")),
    transactionStatus: asText(first("TransactionStatus")),
    parameters,
  });
}

function scalar(value: unknown): string | number | null {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  return null;
}

function asText(value: string | number | null): string | null {
  if (value === null) {
    return null;
  }
  const text = String(value).trim();
  return text === "" ? null : text;
}

function asAmount(value: string | number | null): number | null {
  if (typeof value === "number") {
    return value;
  }
  return typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : null;
}

function describeB2cIssue(json: unknown, issues: readonly v.BaseIssue<unknown>[]): string {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return 'expected a JSON object {"Result":{…}}';
  }
  if ("Body" in json) {
    return 'this is an STK callback ({"Body":…}), not {"Result":…}';
  }
  if (!("Result" in json) && !("ResultCode" in json)) {
    return `expected {"Result":{…}}, got an object with ${describeKeys(json)}`;
  }
  return describeIssue(issuesOfB2c(json, issues));
}

/** For a bare result (no `Result` wrapper), the issues of the bare schema: the union's would name the wrapper. */
function issuesOfB2c(
  json: unknown,
  issues: readonly v.BaseIssue<unknown>[],
): readonly v.BaseIssue<unknown>[] {
  if (typeof json === "object" && json !== null && !("Result" in json)) {
    const bare = v.safeParse(ResultBody, json);
    return bare.success ? issues : bare.issues;
  }
  return issues;
}
