import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { redactedPath } from "./redact-path.ts";

export type ProblemFieldError = { readonly path: string; readonly message: string };

/** An RFC 9457 problem document, with PayMe's stable machine-readable `code`. */
export type Problem = {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: readonly ProblemFieldError[];
  /** Seconds, sent as Retry-After (429, 503). */
  readonly retryAfterSeconds?: number;
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The problem as a response: `application/problem+json`, never with a stack trace, SQL or secret. */
export function problemResponse(c: Context, problem: Problem): Response {
  const body = {
    type: `/problems/${problem.code}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    ...(problem.errors === undefined ? {} : { errors: problem.errors }),
    instance: redactedPath(c),
  };
  const headers: Record<string, string> = { "Content-Type": PROBLEM_CONTENT_TYPE };
  if (problem.retryAfterSeconds !== undefined) {
    headers["Retry-After"] = String(Math.max(1, Math.ceil(problem.retryAfterSeconds)));
  }
  return c.newResponse(JSON.stringify(body), problem.status, headers);
}
