import type { Context } from "hono";
import * as v from "valibot";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type PageRequest } from "../../application/ports/page.ts";
import type { Result } from "../../domain/result.ts";
import { readParams } from "./request-body.ts";
import { idParam } from "./schemas.ts";

const PageQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`),
      v.maxValue(MAX_PAGE_LIMIT, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`),
    ),
  ),
  cursor: v.optional(v.pipe(idParam, v.description("the nextCursor of the previous page"))),
});

/** `?limit=` (default 50, at most 200) and `?cursor=` (the previous page's `nextCursor`). */
export function readPage(c: Context): Result<PageRequest, Response> {
  const query = readParams(c, PageQuery, { limit: c.req.query("limit"), cursor: c.req.query("cursor") });
  return query.ok
    ? {
        ok: true,
        value: { limit: query.value.limit ?? DEFAULT_PAGE_LIMIT, cursor: query.value.cursor ?? null },
      }
    : query;
}
