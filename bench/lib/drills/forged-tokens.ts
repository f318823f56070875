import { randomBytes, randomUUID } from "node:crypto";
import { Hs256TokenIssuer } from "../../../src/adapters/crypto/hs256-token-issuer.ts";
import { ManualClock } from "../../../src/adapters/in-memory/manual-clock.ts";

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Bearer tokens a hostile client might try, for a user `userId` of a server signing with `secret`: each must be
 * refused with 401, never let through and never answered 500.
 */
export async function forgedTokens(secret: string, userId: string, validToken: string): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const ours = (at: Date, ttlSeconds = 3600) => new Hs256TokenIssuer(secret, ttlSeconds, new ManualClock(at));
  const expired = await ours(new Date(Date.now() - 7_200_000)).issue(userId);
  const foreign = await new Hs256TokenIssuer(
    "another-secret-of-at-least-32-bytes!",
    3600,
    new ManualClock(new Date()),
  ).issue(userId);
  const unknownUser = await ours(new Date()).issue(randomUUID());
  const notAnId = await ours(new Date()).issue("' OR 1=1 --");
  const [header, payload, signature] = validToken.split(".");
  return [
    `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sub: userId, exp: now + 3600 })}.`,
    `${base64url({ alg: "HS512", typ: "JWT" })}.${payload}.${signature}`,
    `${header}.${base64url({ sub: userId, exp: now + 3600, admin: true })}.${signature}`,
    `${header}.${payload}.${(signature ?? "").split("").reverse().join("")}`,
    expired.token,
    foreign.token,
    unknownUser.token,
    notAnId.token,
    `${header}.${payload}`,
    "not-a-jwt",
    "a.b.c",
    "....",
    "",
  ];
}

/**
 * API keys a hostile client might try, given a real key of the server and one that was revoked: each must be
 * refused with 401, never let through and never answered 500.
 */
export function forgedApiKeys(validKey: string, revokedKey: string): string[] {
  const body = validKey.slice("sk_test_".length);
  const random = Array.from(randomBytes(43), (byte) => BASE62.charAt(byte % 62)).join("");
  return [
    revokedKey,
    `sk_test_${random}`,
    `${validKey.slice(0, 20)}${random.slice(12)}`,
    `sk_live_${body}`,
    `${validKey}0`,
    validKey.slice(0, -1),
    "sk_test_",
    "sk_",
    `sk_test_${"é".repeat(43)}`,
    `sk_test_${body.slice(0, 42)}%`,
    `sk_test_${"A".repeat(10_000)}`,
  ];
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
