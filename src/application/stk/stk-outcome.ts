import { Msisdn } from "../../domain/msisdn.ts";
import { SUCCESS } from "../../domain/stk-result-code.ts";
import type { StkQueryOutcome } from "../ports/payment-gateway.ts";
import type { StkCallback } from "../shared/daraja-notifications.ts";

/**
 * A definitive answer about an STK payment, wherever it came from. A callback's success carries what it paid
 * (amount, phone, receipt); a query's success carries nothing but the fact.
 */
export type StkOutcome =
  | {
      readonly type: "paid";
      readonly receipt: string | null;
      readonly amount: number | null;
      readonly phone: Msisdn | null;
    }
  | { readonly type: "unsuccessful"; readonly resultCode: string; readonly description: string };

export function outcomeOfCallback(callback: StkCallback): StkOutcome {
  if (callback.resultCode !== SUCCESS) {
    return { type: "unsuccessful", resultCode: callback.resultCode, description: callback.resultDesc };
  }
  const phone = callback.phone === null ? null : Msisdn.parse(callback.phone);
  return {
    type: "paid",
    receipt: callback.mpesaReceipt,
    amount: callback.amount,
    phone: phone?.ok ? phone.value : null,
  };
}

/** Null while the query says the payment is still being processed. */
export function outcomeOfQuery(answer: StkQueryOutcome): StkOutcome | null {
  switch (answer.type) {
    case "pending":
      return null;
    case "paid":
      return { type: "paid", receipt: null, amount: null, phone: null };
    case "unsuccessful":
      return { type: "unsuccessful", resultCode: answer.resultCode, description: answer.description };
  }
}

/** True when two outcomes say the same thing: both paid, or both unsuccessful with the same code. */
export function sameOutcome(a: StkOutcome, b: StkOutcome): boolean {
  if (a.type === "paid" || b.type === "paid") {
    return a.type === b.type;
  }
  return a.resultCode === b.resultCode;
}
