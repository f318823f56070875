import * as v from "valibot";
import { err, ok, type Result } from "../../domain/result.ts";
import { describeIssue } from "./describe-issue.ts";

/**
 * A B2C (or Transaction Status) queue timeout: the request waited too long in M-Pesa's queue. It says nothing
 * about whether the money moved; only a Transaction Status query can settle that.
 */
export type B2cQueueTimeout = {
  readonly originatorConversationId: string | null;
  readonly conversationId: string | null;
  readonly description: string | null;
};

export type NotB2cQueueTimeout = { readonly type: "not_b2c_queue_timeout"; readonly message: string };

const optionalText = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.string(), v.number()]),
      v.transform((value) => String(value).trim()),
    ),
  ),
);

/** A queue-timeout notification: no real sample exists, so any object with what can be read from it. */
export const TimeoutBody = v.looseObject({
  OriginatorConversationID: optionalText,
  ConversationID: optionalText,
  ResultDesc: optionalText,
});

/**
 * Reads a queue-timeout notification. No real one has ever been published, so any JSON object is accepted
 * (`{"Result":{…}}` or flat) and its ids read where present; the payout is identified by its URL token, not by
 * this body. Only a non-object (array, text, null) is refused.
 */
export function parseB2cQueueTimeout(json: unknown): Result<B2cQueueTimeout, NotB2cQueueTimeout> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return err({
      type: "not_b2c_queue_timeout",
      message: "Not a queue timeout notification: expected a JSON object",
    });
  }
  const inner: unknown = "Result" in json ? json.Result : json;
  const parsed = v.safeParse(TimeoutBody, inner);
  if (!parsed.success) {
    return err({
      type: "not_b2c_queue_timeout",
      message: `Not a queue timeout notification: ${describeIssue(parsed.issues)}`,
    });
  }
  return ok({
    originatorConversationId: parsed.output.OriginatorConversationID || null,
    conversationId: parsed.output.ConversationID || null,
    description: parsed.output.ResultDesc || null,
  });
}
