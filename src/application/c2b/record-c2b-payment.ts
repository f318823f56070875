import { C2bPayment, type C2bSource } from "../../domain/c2b-payment.ts";
import { Kes } from "../../domain/kes.ts";
import { SaleReference } from "../../domain/sale-reference.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { C2bNotification } from "../shared/daraja-notifications.ts";
import { recordEvent } from "../shared/record-event.ts";
import type { SettlementContext } from "../stk/stk-payment-kind.ts";
import type { StkPaymentKinds } from "../stk/stk-payment-kinds.ts";
import { applyStkOutcome } from "../stk/stk-settlement.ts";
import { c2bPaymentView } from "./c2b-payment-view.ts";

/** What recording a reported payment did. */
export type C2bRecording =
  /** New: recorded (and, when its account number named a pending sale for the same amount, that sale is paid). */
  | { readonly type: "recorded"; readonly payment: C2bPayment }
  /** Its receipt was recorded before, for the same amount: nothing changed. */
  | { readonly type: "duplicate"; readonly payment: C2bPayment }
  /** Its receipt was recorded before with another amount: nothing credited, the payment flagged for a person. */
  | { readonly type: "conflict"; readonly payment: C2bPayment };

/**
 * Records a payment Safaricom reported (a confirmation, a pull, a confirmed status query) for a business, in the
 * caller's transaction, exactly once per receipt: concurrent reports of one receipt record it once.
 * - An account number that is the reference of a sale of the business that may still be paid, for the same
 *   amount, pays that sale with this receipt (the seam commits its stock and records `sale.paid`); another amount
 *   flags the sale (and the payment). A sale already paid, or closed, flags the payment: the customer paid twice.
 * - Each new payment records `c2b.payment_received`, with the sale it paid.
 */
export async function recordC2bPayment(
  r: Repositories,
  deps: { readonly stkKinds: StkPaymentKinds; readonly context: SettlementContext },
  input: { readonly businessId: string; readonly notification: C2bNotification; readonly source: C2bSource },
): Promise<C2bRecording> {
  const { notification, businessId } = input;
  const { context } = deps;
  const payment = C2bPayment.record({
    id: context.ids.next(),
    businessId,
    receipt: notification.receipt,
    amount: Kes.restore(notification.amount),
    phone: notification.phone,
    payerName: notification.payerName,
    accountNumber: notification.accountNumber,
    transactionType: notification.transactionType,
    shortcode: notification.shortcode,
    paidAt: notification.paidAt,
    source: input.source,
    createdAt: context.now,
  });
  if (!(await r.c2bPayments.addIfNew(payment))) {
    const known = await r.c2bPayments.findByReceipt(notification.receipt, { lock: true });
    if (known === null) {
      throw new Error(`receipt ${notification.receipt} was recorded and then vanished`);
    }
    if (known.amount.value === notification.amount) {
      return { type: "duplicate", payment: known };
    }
    if (known.reportedAgain(notification.amount)) {
      await r.c2bPayments.update(known);
    }
    return { type: "conflict", payment: known };
  }
  await settleSaleByReference(r, deps, payment);
  await r.c2bPayments.update(payment);
  await recordEvent(r, context, "c2b.payment_received", businessId, c2bPaymentView(payment));
  return { type: "recorded", payment };
}

/** Pays, or flags, the sale whose reference the payer typed as the account number, if there is one. */
async function settleSaleByReference(
  r: Repositories,
  deps: { readonly stkKinds: StkPaymentKinds; readonly context: SettlementContext },
  payment: C2bPayment,
): Promise<void> {
  const reference = payment.accountNumber === null ? null : SaleReference.read(payment.accountNumber);
  if (reference === null) {
    return;
  }
  const sale = await r.sales.findByReference(payment.businessId, reference, { lock: true });
  if (sale === null) {
    return;
  }
  if (sale.status === "paid") {
    payment.flag(
      `sale ${reference.value} was already paid${sale.mpesaReceipt === null ? "" : ` (receipt ${sale.mpesaReceipt})`}: the customer may have paid twice`,
    );
    return;
  }
  if (!sale.payable) {
    payment.flag(
      `sale ${reference.value} is ${sale.blocked ? "flagged for a person" : sale.status}: check what this payment was for`,
    );
    return;
  }
  const effect = await applyStkOutcome(
    r,
    deps.stkKinds.adopt("sale", sale),
    { type: "paid", receipt: payment.receipt, amount: payment.amount.value, phone: null },
    deps.context,
  );
  if (effect === "paid") {
    payment.settles(sale.id);
  } else {
    payment.flag(
      `paid ${payment.amount.value} for sale ${reference.value}, which asks ${sale.amount.value}: the sale is flagged for a person`,
    );
  }
}
