/**
 * What Daraja's answer to a request that can move money (an STK push, a B2C payment) said:
 * - `accepted`: Daraja took it (an STK push's CheckoutRequestID, a B2C ConversationID, or B2C's "duplicate
 *   OriginatorConversationID", which says an earlier request with the same id was taken);
 * - `refused`: a definite refusal that proves nothing started (a 4xx in Daraja's error envelope, wrong
 *   credentials, an unknown merchant, a busy phone, a rate limit), or a request that could not leave PayMe;
 * - `unknown`: no answer yet, or one that does not say (a timeout, a reset connection, a 5xx, an HTML page, an
 *   envelope PayMe does not know). Daraja may have started it, so the payment stays pending.
 *
 * Rows stored before PayMe kept the push's outcome have none (null): their failures are left as they are.
 */
export type PushOutcome = "accepted" | "refused" | "unknown";

export const PUSH_OUTCOMES: readonly PushOutcome[] = ["accepted", "refused", "unknown"];
