import { Agent, type Dispatcher, request } from "undici";

/** How one HTTP exchange with Daraja ended, as far as the network can tell. */
export type DarajaExchange =
  | {
      readonly kind: "answered";
      readonly status: number;
      readonly retryAfter: string | null;
      /** The body parsed as JSON, or undefined when it was not JSON (an HTML error page, an empty body). */
      readonly json: unknown;
    }
  /** No connection was made: Daraja cannot have seen the request. */
  | { readonly kind: "not_sent"; readonly cause: string }
  /** The request may have reached Daraja, but no usable answer came back in time. */
  | { readonly kind: "lost"; readonly cause: string };

export type DarajaHttpClientOptions = {
  readonly baseUrl: string;
  readonly connectTimeoutMs: number;
  /** Deadline for the whole exchange, from sending to the last byte of the answer. */
  readonly requestTimeoutMs: number;
  /** When given, used as is (the caller owns it); otherwise the client owns an Agent with the timeouts above. */
  readonly dispatcher?: Dispatcher;
};

/** Errors raised before a connection exists: the request never left. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Daraja's answers are a few hundred bytes; anything this large is not Daraja. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Sends one request to Daraja and reports how it ended, without ever retrying: whether a request may be sent
 * again is the gateway's decision, and for a push or payout it never is.
 */
export class DarajaHttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly baseUrl: string;

  constructor(private readonly options: DarajaHttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: options.connectTimeoutMs },
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
        maxResponseSize: MAX_RESPONSE_BYTES,
      });
  }

  async send(input: {
    readonly method: "GET" | "POST";
    readonly path: string;
    readonly authorization: string;
    readonly body?: unknown;
  }): Promise<DarajaExchange> {
    const headers: Record<string, string> = {
      authorization: input.authorization,
      accept: "application/json",
    };
    if (input.body !== undefined) {
      headers["content-type"] = "application/json";
    }
    try {
      const response = await request(`${this.baseUrl}${input.path}`, {
        method: input.method,
        headers,
        body: input.body === undefined ? null : JSON.stringify(input.body),
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
      const text = await response.body.text();
      const retryAfter = response.headers["retry-after"];
      return {
        kind: "answered",
        status: response.statusCode,
        retryAfter: typeof retryAfter === "string" ? retryAfter : null,
        json: parseJson(text),
      };
    } catch (error) {
      const code = errorCode(error);
      return NOT_SENT_CODES.has(code)
        ? { kind: "not_sent", cause: code }
        : { kind: "lost", cause: code === "" ? errorName(error) : code };
    }
  }

  /** Closes the connections, when the client created its own Agent. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) {
      await this.dispatcher.close();
    }
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, a truncated body): the caller treats it as no usable answer.
    return undefined;
  }
}

function errorCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") {
      return code;
    }
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested.length > 0) {
      current = nested[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return "";
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
