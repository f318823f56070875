import type { Page, PageRequest } from "../../application/ports/page.ts";
import { RecordNotFound, UniqueViolation } from "../../application/ports/repository-errors.ts";

/** Throws UniqueViolation when another row already has `value` in `field`, as a unique index would. */
export function assertUnique<R extends { readonly id: string }>(
  rows: ReadonlyMap<string, R>,
  row: R,
  field: keyof R,
  constraint: string,
): void {
  const value = row[field];
  if (value === null || value === undefined) {
    return;
  }
  for (const other of rows.values()) {
    if (other.id !== row.id && other[field] === value) {
      throw new UniqueViolation(constraint);
    }
  }
}

export function insertRow<R extends { readonly id: string }>(
  rows: Map<string, R>,
  row: R,
  table: string,
): void {
  if (rows.has(row.id)) {
    throw new UniqueViolation(`${table}_pkey`);
  }
  rows.set(row.id, row);
}

export function replaceRow<R extends { readonly id: string }>(
  rows: Map<string, R>,
  row: R,
  entity: string,
): void {
  if (!rows.has(row.id)) {
    throw new RecordNotFound(entity, row.id);
  }
  rows.set(row.id, row);
}

/** Newest first by id (UUIDv7 ids sort by creation time); the cursor is the last id of the previous page. */
export function pageOf<R extends { readonly id: string }, T>(
  rows: Iterable<R>,
  page: PageRequest,
  toDomain: (row: R) => T,
): Page<T> {
  const sorted = [...rows]
    .filter((row) => page.cursor === null || row.id < page.cursor)
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const items = sorted.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(toDomain),
    nextCursor: sorted.length > page.limit && last !== undefined ? last.id : null,
  };
}

export function newestFirst<R extends { readonly id: string }>(rows: Iterable<R>): R[] {
  return [...rows].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
