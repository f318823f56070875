import { Agent, request } from "undici";
import type {
  WebhookMessage,
  WebhookOutcome,
  WebhookTransport,
} from "../../application/ports/webhook-transport.ts";
import {
  guardedLookup,
  isPublicAddress,
  literalAddress,
  type Resolver,
  systemResolver,
} from "./address-guard.ts";
import { standardWebhooksHeaders } from "./standard-webhooks-signature.ts";

/** A receiver has this long to answer, body included. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** How much of a receiver's answer is read (for the attempt's record); the rest is dropped unread. */
export const RESPONSE_BYTES_READ = 1024;

export type WebhookAddressPolicy = {
  /** Only `https` endpoints (production). */
  readonly requireHttps: boolean;
  /** Refuse private, loopback and link-local addresses, by name and by DNS answer (production, unless lifted). */
  readonly publicAddressesOnly: boolean;
};

/**
 * Sends webhooks with undici: Standard Webhooks headers, a 10-second limit on the whole exchange, no redirects
 * followed (undici's request never follows them), and at most 1 KB of the answer read, so that a receiver that
 * hangs or sends 100 MB costs a bounded time and no memory. With `publicAddressesOnly`, the connection's own DNS
 * lookup refuses private answers.
 */
export class UndiciWebhookTransport implements WebhookTransport {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(
    private readonly policy: WebhookAddressPolicy,
    options: { readonly resolver?: Resolver; readonly timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.agent = new Agent({
      connect: {
        timeout: this.timeoutMs,
        ...(policy.publicAddressesOnly ? { lookup: guardedLookup(options.resolver ?? systemResolver) } : {}),
      },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 4_000,
      connections: 8,
    });
  }

  refusal(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return "must be an absolute http(s) URL";
    }
    if (this.policy.requireHttps && parsed.protocol !== "https:") {
      return "must be https";
    }
    if (this.policy.publicAddressesOnly) {
      const host = parsed.hostname.toLowerCase();
      if (host === "localhost" || host.endsWith(".localhost")) {
        return "must not name a loopback host";
      }
      const address = literalAddress(host);
      if (address !== null && !isPublicAddress(address)) {
        return "must not be a private, loopback or link-local address";
      }
    }
    return null;
  }

  async send(message: WebhookMessage, signal: AbortSignal): Promise<WebhookOutcome> {
    const refused = this.refusal(message.url);
    if (refused !== null) {
      return { type: "failed", responseStatus: null, durationMs: 0, error: `the URL ${refused}` };
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    try {
      const response = await request(message.url, {
        method: "POST",
        dispatcher: this.agent,
        signal: AbortSignal.any([signal, timeout]),
        headers: {
          "content-type": "application/json",
          "user-agent": "PayMe-Webhooks/1.0",
          ...standardWebhooksHeaders(message.secrets, message.eventId, message.timestamp, message.body),
        },
        body: message.body,
      });
      const excerpt = await readSome(response.body);
      const status = response.statusCode;
      if (status >= 200 && status < 300) {
        return { type: "delivered", responseStatus: status, durationMs: elapsed() };
      }
      return {
        type: "failed",
        responseStatus: status,
        durationMs: elapsed(),
        error:
          status >= 300 && status < 400
            ? `answered ${status} (a redirect, not followed)`
            : `answered ${status}${excerpt === "" ? "" : `: ${excerpt.slice(0, 200)}`}`,
      };
    } catch (error) {
      if (signal.aborted) {
        return { type: "aborted" };
      }
      const reason = timeout.aborted
        ? `no answer within ${this.timeoutMs / 1000} seconds`
        : describeError(error);
      return { type: "failed", responseStatus: null, durationMs: elapsed(), error: reason };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Reads up to RESPONSE_BYTES_READ of a body, then drops the rest unread (destroying the stream). */
async function readSome(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    read += chunk.length;
    if (read >= RESPONSE_BYTES_READ) {
      break;
    }
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, RESPONSE_BYTES_READ).toString("utf8");
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) {
    return "the request failed";
  }
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as NodeJS.ErrnoException).code ?? (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = cause instanceof Error ? cause.message : error.message;
  return code === undefined ? message : `${code}: ${message}`;
}
