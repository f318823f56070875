import { SaleReference } from "../../domain/sale-reference.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { C2bNotification } from "../shared/daraja-notifications.ts";

/** Daraja's validation answers: accept, or reject with its codes. */
export type C2bValidationAnswer =
  | { readonly resultCode: "0"; readonly resultDesc: "Accepted" }
  | { readonly resultCode: "C2B00012"; readonly resultDesc: "Rejected: invalid account number" }
  | { readonly resultCode: "C2B00013"; readonly resultDesc: "Rejected: invalid amount" }
  | { readonly resultCode: "C2B00016"; readonly resultDesc: "Rejected" };

export const C2B_ACCEPTED: C2bValidationAnswer = { resultCode: "0", resultDesc: "Accepted" };
const INVALID_ACCOUNT: C2bValidationAnswer = {
  resultCode: "C2B00012",
  resultDesc: "Rejected: invalid account number",
};
const INVALID_AMOUNT: C2bValidationAnswer = {
  resultCode: "C2B00013",
  resultDesc: "Rejected: invalid amount",
};
const OTHER: C2bValidationAnswer = { resultCode: "C2B00016", resultDesc: "Rejected" };

/**
 * Answers Daraja's validation of a payment about to be made to a business's shortcode, by the rules the business
 * registered. Reads only. Without rules (validation off), or on a token PayMe does not know (its registration was
 * replaced: the confirmation will be audited), the payment is accepted: refusing a customer's money is the worse
 * mistake. A body PayMe cannot read is rejected (C2B00016).
 * - an amount outside [minAmount, maxAmount] is C2B00013;
 * - with `requireKnownAccount`, a paybill account number must be the reference of a sale of the business still
 *   open to payment, or the SKU of one of its products: otherwise C2B00012. Buy Goods carries no account number.
 */
export class ValidateC2bPayment {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"c2bRegistrations" | "sales" | "products">;
      readonly callbackSecrets: CallbackSecrets;
    },
  ) {}

  execute(input: {
    readonly token: string;
    readonly notification: C2bNotification | null;
  }): Promise<C2bValidationAnswer> {
    const tokenHash = this.deps.callbackSecrets.hashOf(input.token);
    return this.deps.uow.read(async (r) => {
      const registration = await r.c2bRegistrations.findByTokenHash(tokenHash);
      if (registration === null) {
        return C2B_ACCEPTED;
      }
      const { notification } = input;
      if (notification === null) {
        return OTHER;
      }
      const rules = registration.validation;
      if (!rules.enabled) {
        return C2B_ACCEPTED;
      }
      if (
        (rules.minAmount !== null && notification.amount < rules.minAmount) ||
        (rules.maxAmount !== null && notification.amount > rules.maxAmount)
      ) {
        return INVALID_AMOUNT;
      }
      if (!rules.requireKnownAccount) {
        return C2B_ACCEPTED;
      }
      const account = notification.accountNumber;
      if (account === null) {
        return /buy\s*goods/i.test(notification.transactionType) ? C2B_ACCEPTED : INVALID_ACCOUNT;
      }
      const reference = SaleReference.read(account);
      if (reference !== null) {
        const sale = await r.sales.findByReference(registration.businessId, reference);
        if (sale?.payable === true) {
          return C2B_ACCEPTED;
        }
      }
      return (await r.products.hasSku(registration.businessId, account.trim()))
        ? C2B_ACCEPTED
        : INVALID_ACCOUNT;
    });
  }
}
