import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Msisdn } from "../../../src/domain/msisdn.ts";

const subscriber = fc
  .tuple(fc.constantFrom("7", "1"), fc.stringMatching(/^\d{8}$/))
  .map(([lead, rest]) => `${lead}${rest}`);

describe("Msisdn", () => {
  it("normalises every written form of a Kenyan mobile number to 254XXXXXXXXX", () => {
    fc.assert(
      fc.property(subscriber, fc.constantFrom("+254", "254", "0", ""), (nine, prefix) => {
        const parsed = Msisdn.parse(`${prefix}${nine}`);
        expect(parsed.ok && parsed.value.value).toBe(`254${nine}`);
      }),
    );
  });

  it("reads the 01xx range like the 07xx one", () => {
    const parsed = Msisdn.parse("0110123456");
    expect(parsed.ok && parsed.value.value).toBe("254110123456");
    const plus = Msisdn.parse("+254110123456");
    expect(plus.ok && plus.value.value).toBe("254110123456");
  });

  it("tolerates spaces and hyphens between digits, as people type them", () => {
    for (const written of ["0712 345 678", "+254 712 345 678", "0712-345-678", " 0712345678 "]) {
      const parsed = Msisdn.parse(written);
      expect(parsed.ok && parsed.value.value).toBe("254712345678");
    }
  });

  it("does not check prefixes against a carrier list: that is Daraja's call", () => {
    const parsed = Msisdn.parse("0799000000");
    expect(parsed.ok).toBe(true);
    const airtelRange = Msisdn.parse("0733000000");
    expect(airtelRange.ok).toBe(true);
  });

  it("rejects non-Kenyan numbers and junk", () => {
    const rejected = [
      "+255712345678",
      "255712345678",
      "+1 212 555 0100",
      "0212345678",
      "071234567",
      "07123456789",
      "2540712345678",
      "254812345678",
      "0712345678x",
      "07 12  345678",
      "",
      "   ",
      "phone",
      "++254712345678",
    ];
    for (const junk of rejected) {
      expect(Msisdn.parse(junk).ok, junk).toBe(false);
    }
    for (const notText of [712345678, null, undefined, {}]) {
      expect(Msisdn.parse(notText).ok).toBe(false);
    }
  });

  it("never accepts a string that does not hold exactly a Kenyan mobile number", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const parsed = Msisdn.parse(text);
        if (parsed.ok) {
          expect(parsed.value.value).toMatch(/^254[17]\d{8}$/);
          expect(text.replace(/[\s-]/g, "").endsWith(parsed.value.value.slice(3))).toBe(true);
        }
      }),
    );
  });

  it("compares by normalised value", () => {
    const a = Msisdn.parse("0712345678");
    const b = Msisdn.parse("+254712345678");
    expect(a.ok && b.ok && a.value.equals(b.value)).toBe(true);
  });
});
