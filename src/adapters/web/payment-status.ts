import type { PaymentStatus, StkPayment } from "../../domain/stk-payment.ts";
import type { WalletPurchase } from "../../domain/wallet-purchase.ts";
import { show } from "./show.ts";

/** What a page says about one STK payment, and what its status endpoint answers. */
export type PaymentView = {
  readonly status: PaymentStatus;
  /**
   * Nothing more will happen by itself, so the page stops asking: any status but pending (an expired payment may
   * still be paid later, but not soon), and a pending payment with a blocking flag, left for a person.
   */
  readonly final: boolean;
  readonly badge: string;
  readonly label: string;
};

const BADGES: Readonly<Record<PaymentStatus, string>> = {
  pending: "Waiting",
  paid: "Paid",
  cancelled: "Cancelled",
  failed: "Failed",
  expired: "No answer",
};

/** A verification push, a token purchase or a sale, in a sentence. */
export function describePayment(
  payment: StkPayment,
  kind: "verification" | "purchase" | "sale",
  purchase?: WalletPurchase,
): PaymentView {
  const amount = show.kes(payment.amount.value);
  const phone = show.phone(payment.phone.value);
  const receipt = payment.mpesaReceipt === null ? "" : ` M-Pesa receipt ${payment.mpesaReceipt}.`;
  const label = ((): string => {
    switch (payment.status) {
      case "pending":
        if (payment.pushOutcome === "unknown" && payment.checkoutRequestId === null) {
          // Daraja's answer did not say whether the prompt was sent: it may still arrive.
          return kind === "sale"
            ? `M-Pesa did not confirm the prompt to ${phone}, but it may still arrive. Do not ask the customer to pay again: this updates by itself once M-Pesa answers.`
            : `M-Pesa did not confirm the prompt to ${phone}, but it may still arrive: enter your M-Pesa PIN if it does. Do not pay again: this updates by itself once M-Pesa answers.`;
        }
        return kind === "sale"
          ? `Waiting for the customer on ${phone} to enter their M-Pesa PIN to pay ${amount}…`
          : `Check the phone ${phone}: enter your M-Pesa PIN to pay ${amount}…`;
      case "paid":
        if (kind === "verification") {
          return `Paid. Your payment method works and is verified.${receipt}`;
        }
        if (kind === "purchase" && purchase !== undefined) {
          return `Paid: ${purchase.tokens.toLocaleString("en-US")} tokens added to your wallet.${receipt}`;
        }
        return `Paid: ${amount} from ${phone}.${receipt}`;
      case "cancelled":
        return `Cancelled on the phone ${phone}. Nothing was paid.`;
      case "failed":
        return `Not paid: ${payment.failureReason ?? "M-Pesa did not complete the payment"}.`;
      case "expired":
        return "No answer from M-Pesa in time. If the payment still goes through, it will show here.";
    }
  })();
  const attention = payment.needsAttention
    ? ` Needs a person to look at it: ${payment.attentionReason ?? "M-Pesa's answer did not match the request"}.`
    : "";
  return {
    status: payment.status,
    final: payment.status !== "pending" || payment.blocked,
    badge: BADGES[payment.status],
    label: `${label}${attention}`,
  };
}
