import type { Context } from "hono";
import * as v from "valibot";
import { err, ok, type Result } from "../../domain/result.ts";
import { parseJsonBody } from "./json-body.ts";
import { type Problem, type ProblemFieldError, problemResponse } from "./problem.ts";

const malformed = (detail: string): Problem => ({
  status: 400,
  code: "malformed_request",
  title: "Malformed request",
  detail,
});

/** The field errors of a failed valibot parse, each named by its dotted path. */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[]): ProblemFieldError[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((item) => String(item.key)).join("."),
    message: issue.message,
  }));
}

export const validationProblem = (errors: readonly ProblemFieldError[]): Problem => ({
  status: 400,
  code: "validation_failed",
  title: "Validation failed",
  detail: errors.map((e) => (e.path === "" ? e.message : `${e.path} ${e.message}`)).join("; "),
  errors,
});

/**
 * The request's JSON body, checked against `schema` at the edge. Wrong content type or broken JSON is
 * `400 malformed_request`; a body that breaks the schema is `400 validation_failed` naming each field.
 */
export async function readBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<Result<v.InferOutput<S>, Response>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    return err(problemResponse(c, malformed("Send the body as JSON, with Content-Type: application/json.")));
  }
  const body = parseJsonBody(await c.req.text());
  if (!body.ok) {
    const { message, path } = body.error;
    return err(
      problemResponse(c, path === undefined ? malformed(message) : validationProblem([{ path, message }])),
    );
  }
  const json = body.value;
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return err(problemResponse(c, malformed("The body must be a JSON object.")));
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    return err(problemResponse(c, validationProblem(fieldErrors(parsed.issues))));
  }
  return ok(parsed.output);
}

/** Checks query or path values against `schema`; a broken rule is `400 validation_failed`. */
export function readParams<S extends v.GenericSchema>(
  c: Context,
  schema: S,
  values: unknown,
): Result<v.InferOutput<S>, Response> {
  const parsed = v.safeParse(schema, values);
  return parsed.success
    ? ok(parsed.output)
    : err(problemResponse(c, validationProblem(fieldErrors(parsed.issues))));
}
