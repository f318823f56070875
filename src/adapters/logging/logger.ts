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

const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

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
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: safeError, error: safeError },
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
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
