import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AccountReference } from "../../../src/domain/account-reference.ts";
import { Shortcode } from "../../../src/domain/shortcode.ts";

describe("Shortcode", () => {
  it("accepts 5 to 7 digits, as text or as a whole number", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5,7}$/), (digits) => {
        const parsed = Shortcode.parse(digits);
        expect(parsed.ok && parsed.value.value).toBe(digits);
      }),
    );
    const numeric = Shortcode.parse(174379);
    expect(numeric.ok && numeric.value.value).toBe("174379");
  });

  it("rejects anything else", () => {
    for (const junk of ["1234", "12345678", "17437a", "174 379", "", "-17437", 1.5, null, undefined]) {
      expect(Shortcode.parse(junk).ok, String(junk)).toBe(false);
    }
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = Shortcode.parse(text);
        expect(parsed.ok).toBe(/^\d{5,7}$/.test(text.trim()));
      }),
    );
  });
});

describe("AccountReference", () => {
  it("accepts exactly 1 to 12 letters and digits", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        expect(AccountReference.parse(text).ok).toBe(/^[A-Za-z0-9]{1,12}$/.test(text));
      }),
    );
    expect(AccountReference.parse("INV2024").ok).toBe(true);
    expect(AccountReference.parse("ABCDEFGHIJKLM").ok).toBe(false);
    expect(AccountReference.parse("INV-2024").ok).toBe(false);
  });

  it("derives one from a business name: its first 12 letters and digits", () => {
    const derived = AccountReference.fromName("Mama Mboga's Fresh Produce & Co.");
    expect(derived.ok && derived.value.value).toBe("MamaMbogasFr");
    fc.assert(
      fc.property(fc.string(), (name) => {
        const result = AccountReference.fromName(name);
        if (result.ok) {
          expect(result.value.value).toMatch(/^[A-Za-z0-9]{1,12}$/);
        } else {
          expect(name).not.toMatch(/[A-Za-z0-9]/);
        }
      }),
    );
  });
});
