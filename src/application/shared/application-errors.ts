/** Expected failures the use cases share. Each maps to one problem code in the HTTP adapter. */

/** Absent, or belonging to someone else: the two look the same from outside. */
export type NotFound = { readonly type: "not_found"; readonly entity: string };

export type InvalidCredentials = { readonly type: "invalid_credentials" };

export type Unauthorized = { readonly type: "unauthorized" };

export const notFound = (entity: string): NotFound => ({ type: "not_found", entity });

/** PayMe itself is saturated (the password-hashing queue is full): nothing was done; try again after a moment. */
export type Busy = { readonly type: "busy"; readonly retryAfterSeconds: number };
