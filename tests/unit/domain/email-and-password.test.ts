import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Email } from "../../../src/domain/email.ts";
import { Password } from "../../../src/domain/password.ts";

describe("Email", () => {
  it("normalises case and surrounding space, so addresses compare case-insensitively", () => {
    const a = Email.parse("  Wanjiku@Example.CO.KE ");
    const b = Email.parse("wanjiku@example.co.ke");
    expect(a.ok && a.value.value).toBe("wanjiku@example.co.ke");
    expect(a.ok && b.ok && a.value.equals(b.value)).toBe(true);
  });

  it("accepts generated addresses and rejects junk", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        const [local = "", domain = ""] = address.split("@");
        fc.pre(address.length <= 254 && local.length <= 64 && domain.includes("."));
        expect(Email.parse(address).ok).toBe(true);
      }),
    );
    for (const junk of [
      "",
      "plain",
      "@example.com",
      "a@",
      "a@b",
      "a b@example.com",
      "a@@example.com",
      42,
      null,
    ]) {
      expect(Email.parse(junk).ok, String(junk)).toBe(false);
    }
    expect(Email.parse(`${"a".repeat(250)}@x.io`).ok).toBe(false);
  });
});

describe("Password", () => {
  it("accepts 8 to 256 characters", () => {
    expect(Password.parse("1234567").ok).toBe(false);
    expect(Password.parse("12345678").ok).toBe(true);
    expect(Password.parse("x".repeat(256)).ok).toBe(true);
    expect(Password.parse("x".repeat(257)).ok).toBe(false);
    expect(Password.parse(12345678).ok).toBe(false);
  });

  it("never shows itself when serialised or printed", () => {
    const parsed = Password.parse("correct horse battery staple");
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(JSON.stringify({ password: parsed.value })).not.toContain("horse");
      expect(String(parsed.value)).not.toContain("horse");
      expect(parsed.value.reveal()).toBe("correct horse battery staple");
    }
  });
});
