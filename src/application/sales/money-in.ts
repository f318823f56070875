import type { C2bPayment } from "../../domain/c2b-payment.ts";
import type { Sale } from "../../domain/sale.ts";
import type { C2bPaymentFilter } from "../ports/c2b-payment-repository.ts";
import type { SaleFilter } from "../ports/sale-repository.ts";

/**
 * One entry of a business's money in: a sale (charged by prompt, or paid by its reference), or a C2B payment that
 * settled no sale (a payment that paid a sale by its reference shows as that sale, never twice).
 */
export type MoneyInEntry =
  | { readonly kind: "sale"; readonly id: string; readonly sale: Sale }
  | { readonly kind: "c2b"; readonly id: string; readonly payment: C2bPayment };

/**
 * The C2B filter that matches what a sales filter asks for, or null when no C2B payment can match: C2B payments
 * are paid by definition, so a status other than paid leaves them out. A phone keeps those whose number is known
 * (sent in the clear or hashed, not masked). Dates are when the payment was made.
 */
export function c2bFilterFor(filter: SaleFilter): C2bPaymentFilter | null {
  if (filter.status !== undefined && filter.status !== "paid") {
    return null;
  }
  return {
    unmatched: true,
    ...(filter.phone === undefined ? {} : { phone: filter.phone }),
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
    ...(filter.q === undefined ? {} : { q: filter.q }),
    ...(filter.q === undefined || filter.qPhone === undefined ? {} : { qPhone: filter.qPhone }),
    ...(filter.receipt === undefined ? {} : { receipt: filter.receipt }),
  };
}

/** Newest first: ids are UUIDv7, which sort by creation time. */
export const newerFirst = (a: { readonly id: string }, b: { readonly id: string }): number =>
  a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
