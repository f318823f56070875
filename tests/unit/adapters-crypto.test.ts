import { describe, expect, it } from "vitest";
import { Argon2PasswordHasher } from "../../src/adapters/crypto/argon2-password-hasher.ts";
import { Hs256TokenIssuer } from "../../src/adapters/crypto/hs256-token-issuer.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { Password } from "../../src/domain/password.ts";
import { unwrap } from "../support/builders.ts";

describe("Argon2PasswordHasher", () => {
  it("hashes with argon2id at OWASP's parameters and verifies", async () => {
    const hasher = new Argon2PasswordHasher();
    const password = unwrap(Password.parse("a long passphrase"));
    const hash = await hasher.hash(password);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, password)).toBe(true);
    expect(await hasher.verify(hash, unwrap(Password.parse("another passphrase")))).toBe(false);
    expect(await hasher.verify(null, password)).toBe(false);
  });
});

describe("Hs256TokenIssuer", () => {
  it("issues tokens that carry sub and exp, and stops accepting them at exp", async () => {
    const clock = new ManualClock(new Date("2026-06-01T00:00:00Z"));
    const issuer = new Hs256TokenIssuer("a-test-secret-that-is-long-enough-32b", 600, clock);
    const { token, expiresAt } = await issuer.issue("user-1");
    expect(expiresAt.toISOString()).toBe("2026-06-01T00:10:00.000Z");
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    expect(payload).toMatchObject({ sub: "user-1", exp: 1780272600 });
    expect(await issuer.verify(token)).toBe("user-1");
    clock.advance(600_000);
    expect(await issuer.verify(token)).toBeNull();
  });

  it("refuses a secret shorter than 32 bytes", () => {
    expect(() => new Hs256TokenIssuer("short", 60, new ManualClock())).toThrow(/32 bytes/);
  });
});
