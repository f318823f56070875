import * as v from "valibot";

/**
 * Daraja's synchronous error body: `{"requestId", "errorCode", "errorMessage"}`. The first part of errorCode
 * mirrors the HTTP status, but codes differ between APIs for the same error, so callers key on the message.
 */
export const DarajaErrorEnvelope = v.object({
  requestId: v.optional(v.union([v.string(), v.number()])),
  errorCode: v.pipe(
    v.union([v.string(), v.number()]),
    v.transform((code) => String(code)),
  ),
  errorMessage: v.string(),
});

export type DarajaErrorEnvelope = v.InferOutput<typeof DarajaErrorEnvelope>;
