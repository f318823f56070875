import pino, { type DestinationStream, type LevelWithSilent, type Logger } from "pino";

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

/** Structured JSON logs, one event per line. Written asynchronously unless a destination is given (tests capture it). */
export function createLogger(options: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "payme" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
