import { timingSafeEqual } from "node:crypto";

/** String equality in constant time for strings of equal length, so a secret is not guessed by timing. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
