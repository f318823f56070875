import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Kes } from "../../../src/domain/kes.ts";

describe("Kes", () => {
  it("accepts every whole amount from 1 to 250,000 for a push", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 250_000 }), (amount) => {
        const kes = Kes.forPush(amount);
        expect(kes.ok && kes.value.value).toBe(amount);
      }),
    );
  });

  it("refuses push amounts outside 1 to 250,000", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 250_001 })), (amount) => {
        expect(Kes.forPush(amount).ok).toBe(false);
      }),
    );
  });

  it("refuses fractional shillings instead of rounding them", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 250_000, noNaN: true }).filter((n) => !Number.isInteger(n)),
        (amount) => {
          const kes = Kes.forPush(amount);
          expect(kes.ok).toBe(false);
          expect(!kes.ok && kes.error.errors[0]?.message).toMatch(/whole shillings/);
        },
      ),
    );
  });

  it("refuses what is not a number", () => {
    for (const junk of ["100", null, undefined, Number.NaN, Number.POSITIVE_INFINITY, {}, [100]]) {
      expect(Kes.forPush(junk).ok).toBe(false);
    }
  });

  it("limits a payout to 10 to 250,000", () => {
    expect(Kes.forPayout(9).ok).toBe(false);
    expect(Kes.forPayout(10).ok).toBe(true);
    expect(Kes.forPayout(250_000).ok).toBe(true);
    expect(Kes.forPayout(250_001).ok).toBe(false);
  });

  it("names the field it was given in its error", () => {
    const kes = Kes.forPush(0, "items.0.price");
    expect(!kes.ok && kes.error.errors[0]?.path).toBe("items.0.price");
  });

  it("adds, multiplies and compares", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (a, b) => {
        const sum = Kes.restore(a).plus(Kes.restore(b));
        expect(sum.value).toBe(a + b);
        expect(sum.equals(Kes.restore(b + a))).toBe(true);
        expect(Kes.restore(a).times(3).value).toBe(a * 3);
      }),
    );
  });
});
