import type { Context, Env, MiddlewareHandler } from "hono";
import { uniqueSymbol, validator } from "hono-openapi";
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

export const validationProblem = (errors: readonly ProblemFieldError[]): Problem => ({
  status: 400,
  code: "validation_failed",
  title: "Validation failed",
  detail: errors.map((e) => (e.path === "" ? e.message : `${e.path} ${e.message}`)).join("; "),
  errors,
});

type IssuePath = readonly (PropertyKey | { readonly key: unknown })[];
type Issue = { readonly message: string; readonly path?: IssuePath | undefined };
type Outcome = { readonly success: true } | { readonly success: false; readonly error: readonly Issue[] };

/** The field errors of a failed parse (Standard Schema issues), each named by its dotted path. */
export function fieldErrors(issues: readonly Issue[]): ProblemFieldError[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((item) => String(typeof item === "object" ? item.key : item)).join("."),
    message: issue.message,
  }));
}

/** The validators' hook: a value that breaks its schema is `400 validation_failed`, naming each field. */
const refuseInvalid = (result: Outcome, c: Context): Response | undefined =>
  result.success ? undefined : problemResponse(c, validationProblem(fieldErrors(result.error)));

/** hono's JSON validator reads a body it can take: a media type it would skip is refused here first. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * What every JSON body must be before its schema is asked: sent as JSON, JSON that `parseJsonBody` accepts (no
 * rounded-away fraction, no NUL, not nested too deep), and an object. The body the validator then reads is the
 * value parseJsonBody made of it, written back as JSON: a number JSON.parse would round reaches the schema as the
 * string it was written as, so that the field's rule refuses it.
 */
async function refuseUnreadableJson(c: Context): Promise<Response | undefined> {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    return problemResponse(c, malformed("Send the body as JSON, with Content-Type: application/json."));
  }
  const body = parseJsonBody(await c.req.text());
  if (!body.ok) {
    const { message, path } = body.error;
    return problemResponse(
      c,
      path === undefined ? malformed(message) : validationProblem([{ path, message }]),
    );
  }
  const json = body.value;
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return problemResponse(c, malformed("The body must be a JSON object."));
  }
  // hono caches the body's text as a promise (its type says string): the validator's c.req.json() parses this.
  Object.assign(c.req.bodyCache, { text: Promise.resolve(JSON.stringify(json)) });
  return undefined;
}

/**
 * The request's JSON body, checked against `schema` at the edge (hono-openapi's validator, so that the schema is
 * also the body's OpenAPI description); the handler reads it with `c.req.valid("json")`. Wrong content type or
 * broken JSON is `400 malformed_request`; a body that breaks the schema is `400 validation_failed` naming each
 * field.
 */
export function jsonBody<S extends v.GenericSchema, E extends Env, P extends string>(schema: S) {
  const validate = validator<S, "json", E, P>("json", schema, refuseInvalid);
  const middleware: MiddlewareHandler<E, P> = async (c, next) =>
    (await refuseUnreadableJson(c)) ?? validate(c, next);
  // The validator's OpenAPI description (hono-openapi finds it under uniqueSymbol) goes with the guarded middleware.
  const described = validate as typeof validate & { readonly [uniqueSymbol]: unknown };
  return Object.assign(middleware as typeof validate, { [uniqueSymbol]: described[uniqueSymbol] });
}

/** Path values checked against `schema`, read with `c.req.valid("param")`; a broken rule is `400 validation_failed`. */
export const pathParams = <S extends v.GenericSchema, E extends Env, P extends string>(schema: S) =>
  validator<S, "param", E, P>("param", schema, refuseInvalid);

/** Query values checked against `schema`, read with `c.req.valid("query")`; a broken rule is `400 validation_failed`. */
export const queryParams = <S extends v.GenericSchema, E extends Env, P extends string>(schema: S) =>
  validator<S, "query", E, P>("query", schema, refuseInvalid);

/**
 * The request's JSON body, checked against `schema`, for a handler that reads its body itself.
 * Same answers as `jsonBody`.
 */
export async function readBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<Result<v.InferOutput<S>, Response>> {
  const refused = await refuseUnreadableJson(c);
  if (refused !== undefined) {
    return err(refused);
  }
  const parsed = v.safeParse(schema, await c.req.json());
  return parsed.success
    ? ok(parsed.output)
    : err(problemResponse(c, validationProblem(fieldErrors(parsed.issues))));
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
