import type { C2bNotification } from "../shared/daraja-notifications.ts";

/** Where a check of an untrusted confirmation stands. */
export type C2bCheckStatus = "pending" | "confirmed" | "unconfirmed";
export const C2B_CHECK_STATUSES: readonly C2bCheckStatus[] = ["pending", "confirmed", "unconfirmed"];

/**
 * A confirmation that came on a URL with an unknown token, for a shortcode a business registered: kept until a
 * Transaction Status query (whose result URL carries this check's own token) says whether M-Pesa has it.
 */
export type C2bCheck = {
  readonly id: string;
  readonly businessId: string;
  /** Hash of the token in the status query's result URL. */
  readonly tokenHash: string;
  readonly notification: C2bNotification;
  /** The audit record of the confirmation it checks. */
  readonly auditRecordId: string;
  readonly status: C2bCheckStatus;
  readonly createdAt: Date;
};

/** Checks of untrusted C2B confirmations. */
export interface C2bCheckRepository {
  add(check: C2bCheck): Promise<void>;
  /** The check whose result URL carries the token with this hash, locked when asked. */
  findByTokenHash(tokenHash: string, options?: { lock?: boolean }): Promise<C2bCheck | null>;
  /** Records what the query said. */
  settle(id: string, status: Exclude<C2bCheckStatus, "pending">): Promise<void>;
}
