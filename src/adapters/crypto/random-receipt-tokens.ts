import { randomBytes } from "node:crypto";
import type { ReceiptTokens } from "../../application/ports/receipt-tokens.ts";

/** 24 random bytes (192 bits), base64url: 32 characters. */
export class RandomReceiptTokens implements ReceiptTokens {
  issue(): string {
    return randomBytes(24).toString("base64url");
  }
}
