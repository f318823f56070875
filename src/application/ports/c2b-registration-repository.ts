import type { C2bRegistration } from "../../domain/c2b-registration.ts";

/**
 * The constraint a shortcode registered by another business breaks: saving throws UniqueViolation with it.
 */
export const C2B_SHORTCODE_UNIQUE = "c2b_registrations_shortcode_unique";

/** Businesses' C2B registrations: one per business, one business per shortcode. */
export interface C2bRegistrationRepository {
  /**
   * Adds the business's registration, or replaces the one it had (a new token, new rules). A shortcode another
   * business holds throws UniqueViolation(C2B_SHORTCODE_UNIQUE).
   */
  save(registration: C2bRegistration): Promise<void>;
  findByBusiness(businessId: string): Promise<C2bRegistration | null>;
  findByShortcode(shortcode: string): Promise<C2bRegistration | null>;
  /** The registration whose URLs carry the token with this hash. */
  findByTokenHash(tokenHash: string): Promise<C2bRegistration | null>;
  /** Every registration, oldest first, at most `limit` (the reconciler's pull walks them). */
  listAll(limit: number): Promise<C2bRegistration[]>;
}
