import { createHmac } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/**
 * The Standard Webhooks signature of one message under one secret: `v1,` and the base64 HMAC-SHA256 of
 * `<id>.<timestamp>.<body>`, keyed by the secret's decoded bytes (the base64 after `whsec_`).
 */
export function standardWebhooksSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): string {
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    "base64",
  );
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers; the signatures are space-separated when several secrets sign. */
export function standardWebhooksHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets
      .map((secret) => standardWebhooksSignature(secret, id, timestamp, body))
      .join(" "),
  };
}
