/**
 * Why an M-Pesa prompt did not end in a payment, in words a shopkeeper can repeat to the customer, from Daraja's
 * result code. A code not listed here keeps M-Pesa's own description.
 */
const REASONS: Readonly<Record<string, string>> = {
  "1": "The customer does not have enough money in M-Pesa.",
  "1032": "The customer cancelled the prompt on their phone.",
  "1037": "The customer's phone could not be reached (off, out of network, or the prompt timed out).",
  "1019": "The prompt expired before the customer answered.",
  "2001": "The customer entered a wrong M-Pesa PIN.",
  "1001": "The customer's M-Pesa was busy with another payment; try again in a minute.",
  "1025": "M-Pesa could not send the prompt to the phone.",
  "9999": "M-Pesa could not send the prompt to the phone.",
  "11": "The customer's M-Pesa account cannot pay right now (for example it is locked or dormant).",
  SFC_IC0003: "M-Pesa could not reach that number.",
};

/** The plain reason for a failed or cancelled payment; M-Pesa's own words, or a general one, otherwise. */
export function plainReason(resultCode: string | null, failureReason: string | null): string {
  const known = resultCode === null ? undefined : REASONS[resultCode];
  if (known !== undefined) {
    return known;
  }
  return failureReason === null ? "M-Pesa did not complete the payment." : `M-Pesa said: ${failureReason}.`;
}
