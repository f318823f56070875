/**
 * What an STK ResultCode means to a payer or a cashier. Daraja's ResultDesc wording changes over time,
 * so the meaning is keyed on the code alone (SPEC §5.3).
 */
const REASONS: Readonly<Record<string, string>> = {
  "1": "insufficient M-Pesa balance",
  "2": "the amount is below the M-Pesa minimum",
  "3": "the amount is above the M-Pesa maximum for one payment",
  "4": "the payer's daily M-Pesa limit would be exceeded",
  "8": "the receiving account's balance limit would be exceeded",
  "11": "the payer's M-Pesa account cannot pay right now",
  "17": "the same amount was sent to this number less than two minutes ago",
  "1001": "another M-Pesa payment is in progress on this phone",
  "1019": "the payment request expired before the payer answered",
  "1025": "the payment prompt could not be sent to the phone",
  "1032": "the payer cancelled the request",
  "1037": "the phone could not be reached",
  "2001": "wrong M-Pesa PIN",
  "2028": "the shortcode is not allowed this kind of payment (till set up as paybill, or the reverse)",
  "8006": "the payer's M-Pesa PIN is locked",
  "9999": "the payment prompt could not be sent to the phone",
  SFC_IC0003: "the shortcode does not accept this kind of payment (till set up as paybill, or the reverse)",
};

/** The code a payer uses to cancel the prompt, or let it time out on the handset. */
export const CANCELLED_BY_PAYER = "1032";
export const SUCCESS = "0";

/** A readable reason for a result code; Daraja's own description when the code is not one we know. */
export function describeResultCode(code: string, darajaDescription?: string): string {
  return REASONS[code] ?? (darajaDescription?.trim() || `M-Pesa answered with result code ${code}`);
}
