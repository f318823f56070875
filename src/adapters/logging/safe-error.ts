/** An error as a log line shows it: what failed and where, never the statement or the data it was given. */
export type LoggedError = {
  readonly type: string;
  readonly message: string;
  /** The database's SQLSTATE and where it failed, when a database error. */
  readonly code?: string;
  readonly table?: string;
  readonly constraint?: string;
  readonly column?: string;
  readonly routine?: string;
  readonly stack?: string;
  readonly cause?: LoggedError;
};

/** How much of a message a log line keeps: enough to say what went wrong, never a whole body. */
const MAX_MESSAGE = 300;
const MAX_FRAMES = 15;
const MAX_CAUSES = 3;

/** A message that starts with an SQL statement: knex writes `<statement> - <driver's message>`. */
const STATEMENT =
  /^\s*\(?\s*(?:select|insert|update|delete|with|begin|commit|rollback|create|alter|drop|set|lock|savepoint|release|copy|truncate|values|do|call|explain)\b/i;

/** What MikroORM appends to a driver's message: PostgreSQL's detail and hint, which may quote the values. */
const APPENDED = /\n - (?:detail|hint): /;

/** The fields of a PostgreSQL error worth keeping; the rest (detail, where, query, params) may hold the data. */
const DATABASE_FIELDS = ["code", "table", "constraint", "column", "routine"] as const;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max)}… (clipped)`);

/**
 * The `err` serializer of every log line. pino's own would print an error whole: its message, its stack (which
 * repeats the message) and every property. A database error's message starts with the failed statement (knex
 * puts it there) followed by PostgreSQL's detail, and PGlite's error carries the statement and its parameters as
 * properties too: one failing insert of a callback put the whole statement and the callback's body into each
 * line, and a spool replaying it every few seconds wrote gigabytes of them. This keeps the type, the driver's own
 * message (clipped), the SQLSTATE and the table, constraint and column concerned, and the stack frames.
 */
export function safeError(error: unknown): LoggedError {
  return describe(error, 0);
}

function describe(error: unknown, depth: number): LoggedError {
  if (!(error instanceof Error)) {
    return { type: error === null ? "null" : typeof error, message: clip(String(error), MAX_MESSAGE) };
  }
  const type = error.name || error.constructor.name;
  const message = messageOf(error.message);
  const fields: Record<string, string> = {};
  const record = error as unknown as Record<string, unknown>;
  for (const field of DATABASE_FIELDS) {
    const value = record[field];
    if (typeof value === "string" || typeof value === "number") {
      fields[field] = clip(String(value), 100);
    }
  }
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES);
  return {
    type,
    message,
    ...fields,
    stack: [`${type}: ${message}`, ...frames].join("\n"),
    ...(error.cause !== undefined && depth < MAX_CAUSES ? { cause: describe(error.cause, depth + 1) } : {}),
  };
}

/** The driver's own words without the statement before them or the detail after them, or the message, clipped. */
function messageOf(message: string): string {
  if (!STATEMENT.test(message)) {
    return clip(message, MAX_MESSAGE);
  }
  const appended = APPENDED.exec(message);
  const withoutDetail = appended === null ? message : message.slice(0, appended.index);
  const separator = withoutDetail.lastIndexOf(" - ");
  const driverMessage = separator === -1 ? "" : withoutDetail.slice(separator + 3);
  return `(statement left out) ${clip(driverMessage, MAX_MESSAGE)}`;
}
