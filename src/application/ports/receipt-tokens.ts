/** The tokens of public receipt links: whoever holds one sees that one receipt, and nothing else. */
export interface ReceiptTokens {
  /** A fresh random token, URL-safe, too long to guess (at least 128 bits). */
  issue(): string;
}
