import { describe, expect, it, vi } from "vitest";
import { Argon2PasswordHasher, OWASP_ARGON2ID } from "../../src/adapters/crypto/argon2-password-hasher.ts";
import { Hs256TokenIssuer } from "../../src/adapters/crypto/hs256-token-issuer.ts";
import {
  EstimatorThread,
  ZxcvbnPasswordStrength,
} from "../../src/adapters/crypto/zxcvbn-password-strength.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { Password } from "../../src/domain/password.ts";
import { unwrap } from "../support/builders.ts";

describe("Argon2PasswordHasher", () => {
  it("hashes with argon2id at OWASP's parameters and verifies", async () => {
    const hasher = new Argon2PasswordHasher();
    const password = unwrap(Password.parse("a long passphrase"));
    const hash = unwrap(await hasher.hash(password));
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, password)).toEqual({ ok: true, value: true });
    expect(await hasher.verify(hash, unwrap(Password.parse("another passphrase")))).toEqual({
      ok: true,
      value: false,
    });
    expect(await hasher.verify(null, password)).toEqual({ ok: true, value: false });
  });

  it("lets at most `queueMax` hashes wait for a slot, and answers busy at once past that", async () => {
    // One hash at a time and two waiting: of six asked at once, three are turned away without being hashed.
    const hasher = new Argon2PasswordHasher(OWASP_ARGON2ID, 1, 2);
    const password = unwrap(Password.parse("a long passphrase"));
    const results = await Promise.all(Array.from({ length: 6 }, () => hasher.hash(password)));
    expect(results.map((result) => (result.ok ? "hashed" : result.error.type))).toEqual([
      "hashed",
      "hashed",
      "hashed",
      "busy",
      "busy",
      "busy",
    ]);
    expect(results.find((result) => !result.ok)).toEqual({
      ok: false,
      error: { type: "busy", retryAfterSeconds: expect.any(Number) },
    });
    // Once the queue has drained, hashing works again; verifications count against the same bound.
    const verifications = await Promise.all(Array.from({ length: 4 }, () => hasher.verify(null, password)));
    expect(verifications.filter((result) => !result.ok)).toHaveLength(1);
  });
});

describe("Hs256TokenIssuer", () => {
  it("issues tokens that carry sub, iat, exp and a fresh jti, and stops accepting them at exp", async () => {
    const clock = new ManualClock(new Date("2026-06-01T00:00:00Z"));
    const issuer = new Hs256TokenIssuer("a-test-secret-that-is-long-enough-32b", 600, clock);
    const { token, expiresAt } = await issuer.issue("user-1");
    const other = await issuer.issue("user-1");
    expect(expiresAt.toISOString()).toBe("2026-06-01T00:10:00.000Z");
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    expect(payload).toMatchObject({ sub: "user-1", iat: 1780272000, exp: 1780272600 });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    const claims = await issuer.verify(token);
    expect(claims).toEqual({
      userId: "user-1",
      tokenId: payload.jti,
      issuedAt: new Date("2026-06-01T00:00:00Z"),
      expiresAt,
    });
    expect((await issuer.verify(other.token))?.tokenId).not.toBe(payload.jti);
    clock.advance(600_000);
    expect(await issuer.verify(token)).toBeNull();
  });

  it("issues no earlier than `notBefore`, rounded up to a whole second", async () => {
    const clock = new ManualClock(new Date("2026-06-01T00:00:00.400Z"));
    const issuer = new Hs256TokenIssuer("a-test-secret-that-is-long-enough-32b", 600, clock);
    const later = await issuer.issue("user-1", { notBefore: new Date("2026-06-01T00:00:00.700Z") });
    expect((await issuer.verify(later.token))?.issuedAt).toEqual(new Date("2026-06-01T00:00:01Z"));
    const now = await issuer.issue("user-1", { notBefore: new Date("2026-05-01T00:00:00Z") });
    expect((await issuer.verify(now.token))?.issuedAt).toEqual(new Date("2026-06-01T00:00:00Z"));
  });

  it("refuses a secret shorter than 32 bytes", () => {
    expect(() => new Hs256TokenIssuer("short", 60, new ManualClock())).toThrow(/32 bytes/);
  });
});

describe("ZxcvbnPasswordStrength", () => {
  const strength = new ZxcvbnPasswordStrength();
  const common = async (text: string, userInputs: string[] = []) =>
    unwrap(await strength.isCommon(unwrap(Password.parse(text)), userInputs));

  it.each([
    "12345678",
    "password",
    "Password1",
    "P@ssw0rd",
    "qwertyuiop",
    "iloveyou1",
    "Summer2024",
    "11111111",
  ])("finds %s among the most common passwords", async (text) => {
    expect(await common(text)).toBe(true);
  });

  it.each(["correct horse battery", "a-long-enough-password", "sukuma-wiki-2026", "Nairobi@2024"])(
    "lets %s through",
    async (text) => {
      expect(await common(text)).toBe(false);
    },
  );

  it("weighs the owner's own details", async () => {
    expect(await common("wanjiku1990")).toBe(false);
    expect(await common("wanjiku1990", ["wanjiku", "kamau"])).toBe(true);
  });

  it("answers a hostile 256-character password without giving up", async () => {
    expect(await common("@4!1|0$3".repeat(32))).toBe(false);
    expect(await common("password".repeat(32))).toBe(true);
  });

  it("answers busy when more checks wait than its bound", async () => {
    const bounded = new ZxcvbnPasswordStrength(2);
    const password = unwrap(Password.parse("a-long-enough-password"));
    const results = await Promise.all(Array.from({ length: 6 }, () => bounded.isCommon(password, [])));
    expect(results.filter((result) => !result.ok)).toHaveLength(3);
  });

  it("stops its worker when idle and starts another for the next check", async () => {
    const thread = new EstimatorThread(1);
    const idle = new ZxcvbnPasswordStrength(64, thread);
    const password = unwrap(Password.parse("password"));
    expect(unwrap(await idle.isCommon(password, []))).toBe(true);
    await vi.waitFor(() => expect(thread.running).toBe(false), { timeout: 10_000 });
    expect(unwrap(await idle.isCommon(password, []))).toBe(true);
    expect(thread.running).toBe(true);
  });
});
