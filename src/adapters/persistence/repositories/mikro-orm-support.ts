import { LockMode, UniqueConstraintViolationException } from "@mikro-orm/core";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import { UniqueViolation } from "../../../application/ports/repository-errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `id` can be an id column's value. PostgreSQL refuses to compare a uuid column with anything else
 * (an error, not "no row"), so a lookup by a string that is no UUID must find nothing without asking.
 */
export const canBeId = (id: string): boolean => UUID.test(id);

/** An `ilike` pattern matching any text that contains `text`, taken literally (no wildcards of its own). */
export const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Rows are read without the identity map: repositories map them to domain objects and write back explicitly. */
export const READ = { disableIdentityMap: true } as const;

export function readOptions(options?: { lock?: boolean }) {
  return options?.lock === true ? { ...READ, lockMode: LockMode.PESSIMISTIC_WRITE } : READ;
}

/** Runs a write, turning the database's unique-constraint error into the port's UniqueViolation. */
export async function writing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      const constraint = (error as { constraint?: unknown }).constraint;
      throw new UniqueViolation(typeof constraint === "string" ? constraint : "unknown");
    }
    throw error;
  }
}

/** Newest first by id (UUIDv7 ids sort by creation time); the cursor is the last id of the previous page. */
export function pageWhere(page: PageRequest): { id?: { $lt: string } } {
  return page.cursor === null ? {} : { id: { $lt: page.cursor } };
}

export const PAGE_ORDER = { orderBy: { id: "desc" } } as const;

/** Fetches one row more than the page holds, to know whether another page follows. */
export function toPage<R extends { id: string }, T>(
  rows: R[],
  page: PageRequest,
  toDomain: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(toDomain),
    nextCursor: rows.length > page.limit && last !== undefined ? last.id : null,
  };
}
