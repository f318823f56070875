import * as v from "valibot";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type PageRequest } from "../../application/ports/page.ts";
import { idParam } from "./schemas.ts";

const LIMIT_RULE = `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`;

/** `?limit=` (default 50, at most 200) and `?cursor=` (the previous page's `nextCursor`), as every listing reads them. */
export const PAGE_ENTRIES = {
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, LIMIT_RULE),
      v.transform(Number),
      v.minValue(1, LIMIT_RULE),
      v.maxValue(MAX_PAGE_LIMIT, LIMIT_RULE),
    ),
  ),
  cursor: v.optional(v.pipe(idParam, v.description("the nextCursor of the previous page"))),
};

/** The page a listing asks for, from its parsed `?limit=` and `?cursor=`. */
export const pageOf = (query: { readonly limit?: number; readonly cursor?: string }): PageRequest => ({
  limit: query.limit ?? DEFAULT_PAGE_LIMIT,
  cursor: query.cursor ?? null,
});

/** The query of a listing that reads nothing but its page: the typed page request. */
export const PageQuery = v.pipe(v.object(PAGE_ENTRIES), v.transform(pageOf));
