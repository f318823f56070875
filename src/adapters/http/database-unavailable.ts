/** Node's codes for a connection that could not be made or was lost. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);

/** Errors the drivers and the ORM raise when they cannot reach the database, by name. */
const CONNECTION_ERROR_NAMES = new Set(["ConnectionException", "KnexTimeoutError"]);

/**
 * True when `error` (or one of its causes) says the database could not be reached: a refused or lost connection,
 * PostgreSQL's connection exceptions (SQLSTATE class 08) and shutdowns (57P01–57P03), or no pooled connection in
 * time. Such a request is answered 503 with Retry-After, not 500: nothing is wrong with it, and it may be sent
 * again.
 */
export function databaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || /^(08|57P0[1-3])/.test(code))) {
      return true;
    }
    if (
      CONNECTION_ERROR_NAMES.has(current.name) ||
      /Connection terminated|Timeout acquiring a connection/.test(current.message)
    ) {
      return true;
    }
    current = current.cause;
  }
  return false;
}
