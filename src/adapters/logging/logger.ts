import pino, { type DestinationStream, type LevelWithSilent, type Logger } from "pino";
import { safeError } from "./safe-error.ts";

export type { Logger };

/**
 * Field names whose values never reach a log line. Secrets should not be logged at all; this is the net
 * under that rule, for a value that slips into a logged object by accident.
 */
const SECRET_FIELDS = [
  "password",
  "passwordHash",
  "passkey",
  "consumerSecret",
  "initiatorPassword",
  "securityCredential",
  "SecurityCredential",
  "Password",
  "token",
  "accessToken",
  "access_token",
  "jwtSecret",
  "encryptionKey",
  "authorization",
  "cookie",
];

const SECRET = new Set(SECRET_FIELDS);
const CENSOR = "[redacted]";
/** How deep below a line's own fields secret fields are looked for: `field`, `*.field` and `*.*.field`. */
const REDACT_DEPTH = 2;

/**
 * `object` with the value of every secret field, down to `depth` levels below it, replaced by the censor; the
 * object itself when it holds none (nothing is copied then, and nothing logged is ever changed). Errors are left
 * to their serializer, which never writes their data.
 */
export function redacted<T>(object: T, depth = REDACT_DEPTH): T {
  if (typeof object !== "object" || object === null || object instanceof Error) {
    return object;
  }
  let copy: Record<string, unknown> | unknown[] | null = null;
  const source = object as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) {
      continue;
    }
    const value = source[key];
    const next =
      SECRET.has(key) && value !== undefined ? CENSOR : depth > 0 ? redacted(value, depth - 1) : value;
    if (next !== value) {
      copy ??= Array.isArray(object) ? [...object] : { ...source };
      (copy as Record<string, unknown>)[key] = next;
    }
  }
  return (copy ?? object) as T;
}

/**
 * Structured JSON logs, one event per line. Written asynchronously unless a destination is given (tests capture it).
 * Errors (`err`, `error`) are logged by `safeError`: never the SQL statement, its parameters or a request's body.
 */
export function createLogger(options: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "payme" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Secret fields are masked by one walk of what is logged (see `redacted`), and in a child's bindings by
      // the serializers below: pino's `redact` with wildcard paths ran its redaction over every field of every
      // line, and cost more than the rest of the line.
      serializers: {
        err: safeError,
        error: safeError,
        // pino passes a child's bindings through no formatter, but through the serializers of their keys.
        ...Object.fromEntries(SECRET_FIELDS.map((field) => [field, () => CENSOR])),
      },
      hooks: {
        // pino takes an error logged on its own (`log.error(error)`) as the line's message: its whole message,
        // statement and all. It goes under `err` instead, and its safe message becomes the line's.
        logMethod(args, method) {
          const [first, ...rest] = args;
          if (first instanceof Error) {
            const message = typeof rest[0] === "string" ? rest : [safeError(first).message, ...rest];
            return method.apply(this, [{ err: first }, ...message] as Parameters<typeof method>);
          }
          return method.apply(this, args);
        },
      },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redacted(object),
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
