import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** What an API key may be allowed to do ("API keys and staff": scopes). */
export const API_KEY_SCOPES = [
  "sales:read",
  "sales:write",
  "refunds:write",
  "products:read",
  "products:write",
  "payouts:read",
  "payouts:write",
  "c2b:read",
  "webhooks:write",
  "events:read",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Read and charge: nothing that sends money out or subscribes to data. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = [
  "sales:read",
  "sales:write",
  "products:read",
  "c2b:read",
];

export const isApiKeyScope = (input: unknown): input is ApiKeyScope =>
  typeof input === "string" && (API_KEY_SCOPES as readonly string[]).includes(input);

/** A list of scopes as a client writes it: each known, none twice, at least one; kept in the canonical order. */
export function parseApiKeyScopes(input: unknown, path = "scopes"): Result<ApiKeyScope[], InvalidInput> {
  if (!Array.isArray(input) || input.length === 0 || input.length > API_KEY_SCOPES.length * 2) {
    return err(invalid(path, `must be a non-empty list of: ${API_KEY_SCOPES.join(", ")}`));
  }
  const unknown = input.findIndex((scope) => !isApiKeyScope(scope));
  if (unknown !== -1) {
    return err(invalid(`${path}.${unknown}`, `is not a scope; one of ${API_KEY_SCOPES.join(", ")}`));
  }
  return ok(API_KEY_SCOPES.filter((scope) => input.includes(scope)));
}
