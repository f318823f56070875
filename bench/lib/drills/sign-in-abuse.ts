import { randomBytes } from "node:crypto";
import { type Account, BENCH_PASSWORD, call } from "../api.ts";
import { type Check, check } from "./report.ts";

/**
 * The sign-in limits the fuzz drill's server runs with: PayMe behind one proxy hop (TRUST_PROXY=1), so the
 * client is the rightmost X-Forwarded-For value, the one the proxy appended; whatever the client wrote before it
 * must change nothing.
 */
export const SIGN_IN_ABUSE_ENV = {
  TRUST_PROXY: "1",
  AUTH_RATE_LIMIT_PER_ADDRESS: "20",
  AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "10",
  AUTH_RATE_LIMIT_PER_ACCOUNT: "1000",
} as const;

const PER_ADDRESS = Number(SIGN_IN_ABUSE_ENV.AUTH_RATE_LIMIT_PER_ADDRESS);
const PER_ACCOUNT_AND_ADDRESS = Number(SIGN_IN_ABUSE_ENV.AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS);

/** Addresses from the documentation ranges (RFC 5737): they only ever appear in a header, nothing is sent there. */
const SPRAYER = "198.51.100.7";
const GUESSER = "198.51.100.8";
const OWNER = "198.51.100.9";

const signIn = (baseUrl: string, body: { email: string; password: string }, forwardedFor: string) =>
  call(baseUrl, "POST", "/auth/sign-in", { body, headers: { "X-Forwarded-For": forwardedFor } });

/**
 * Two attacks on sign-in, against a server started with SIGN_IN_ABUSE_ENV:
 * - a password spray from one client that writes a fresh spoofed X-Forwarded-For value on every attempt: only
 *   the per-address limit's worth may be judged, the rest are 429 with Retry-After;
 * - 40 concurrent wrong passwords on one account from one address: only the per-account-and-address limit's
 *   worth may reach the password hasher, and the owner can still sign in from their own address.
 */
export async function signInAbuseChecks(baseUrl: string, account: Account): Promise<Check[]> {
  const spray = [];
  for (let i = 0; i < PER_ADDRESS * 2; i += 1) {
    const spoofed = `${randomBytes(4).join(".")}, 10.${i % 256}.0.1`;
    const answer = await call(baseUrl, "POST", "/auth/sign-in", {
      body: { email: `spray-${i}-${randomBytes(3).toString("hex")}@example.com`, password: "Spring2026!" },
      headers: { "X-Forwarded-For": `${spoofed}, ${SPRAYER}` },
    });
    spray.push(answer.status);
  }
  const sprayJudged = spray.filter((status) => status === 401).length;
  const sprayLimited = spray.filter((status) => status === 429).length;

  const guesses = await Promise.all(
    Array.from({ length: 40 }, () =>
      signIn(baseUrl, { email: account.email, password: "wrong-password-1" }, GUESSER),
    ),
  );
  const judged = guesses.filter((answer) => answer.status === 401).length;
  const limited = guesses.filter((answer) => answer.status === 429).length;
  const owner = await signIn(baseUrl, { email: account.email, password: BENCH_PASSWORD }, OWNER);

  return [
    check(
      "spoofed X-Forwarded-For limited",
      sprayJudged === PER_ADDRESS && sprayLimited === spray.length - PER_ADDRESS,
      `${spray.length} sign-ins each with a fresh spoofed X-Forwarded-For: ${sprayJudged} judged, ${sprayLimited} limited (limit ${PER_ADDRESS})`,
    ),
    check(
      "concurrent wrong passwords limited",
      judged === PER_ACCOUNT_AND_ADDRESS && limited === guesses.length - PER_ACCOUNT_AND_ADDRESS,
      `40 concurrent wrong passwords: ${judged} reached the hasher, ${limited} limited (limit ${PER_ACCOUNT_AND_ADDRESS})`,
    ),
    check(
      "owner not locked out",
      owner.status === 200,
      `the owner signing in from another address: ${owner.status}`,
    ),
  ];
}
