import * as v from "valibot";
import { err, ok, type Result } from "../../domain/result.ts";
import { withinLimit } from "./callback-field-limits.ts";
import { describeIssue, issuePath } from "./describe-issue.ts";

/**
 * A B2C (or Transaction Status) queue timeout: the request waited too long in M-Pesa's queue. It says nothing
 * about whether the money moved; only a Transaction Status query can settle that.
 */
export type B2cQueueTimeout = {
  readonly originatorConversationId: string | null;
  readonly conversationId: string | null;
  readonly description: string | null;
};

/** Why a body is not a timeout PayMe can take; `field` is the dotted path of the field at fault, if one is. */
export type NotB2cQueueTimeout = {
  readonly type: "not_b2c_queue_timeout";
  readonly message: string;
  readonly field: string | null;
};

const optionalText = (limit: Parameters<typeof withinLimit>[0]) =>
  v.optional(
    v.nullable(
      v.pipe(
        v.union([v.string(), v.number()]),
        v.transform((value) => String(value).trim()),
        withinLimit(limit),
      ),
    ),
  );

/** A queue-timeout notification: no real sample exists, so any object with what can be read from it. */
export const TimeoutBody = v.looseObject({
  OriginatorConversationID: optionalText("id"),
  ConversationID: optionalText("id"),
  ResultDesc: optionalText("resultDesc"),
});

/**
 * Reads a queue-timeout notification. No real one has ever been published, so any JSON object is accepted
 * (`{"Result":{…}}` or flat) and its ids read where present; the payout is identified by its URL token, not by
 * this body. Only a non-object (array, text, null), or ids and a description longer than any Daraja sends (see
 * CALLBACK_FIELD_LIMITS), are refused.
 */
export function parseB2cQueueTimeout(json: unknown): Result<B2cQueueTimeout, NotB2cQueueTimeout> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return err({
      type: "not_b2c_queue_timeout",
      message: "Not a queue timeout notification: expected a JSON object",
      field: null,
    });
  }
  const wrapped = "Result" in json;
  const inner: unknown = "Result" in json ? json.Result : json;
  const parsed = v.safeParse(TimeoutBody, inner);
  if (!parsed.success) {
    const path = issuePath(parsed.issues);
    const field = wrapped ? `Result${path === null ? "" : `.${path}`}` : path;
    return err({
      type: "not_b2c_queue_timeout",
      message: `Not a queue timeout notification: ${wrapped ? "Result." : ""}${describeIssue(parsed.issues)}`,
      field,
    });
  }
  return ok({
    originatorConversationId: parsed.output.OriginatorConversationID || null,
    conversationId: parsed.output.ConversationID || null,
    description: parsed.output.ResultDesc || null,
  });
}
