/** A page of a list, newest first. `cursor` comes from the previous page's `nextCursor`. */
export type PageRequest = { readonly limit: number; readonly cursor: string | null };

export type Page<T> = { readonly items: readonly T[]; readonly nextCursor: string | null };

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;
