import { describe, expect, it } from "vitest";
import { parseJsonBody } from "../../src/adapters/http/json-body.ts";

describe("parseJsonBody and numbers", () => {
  it("reads a number whose fraction JSON.parse would round away as the text it was written as", () => {
    const parsed = parseJsonBody(
      '{"a":1.0000000000000001,"b":[1e-400,-250000.00000000001e0],"c":12345678.000000001,"d":"1.0000000000000001"}',
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        a: "1.0000000000000001",
        b: ["1e-400", "-250000.00000000001e0"],
        // Not whole once parsed either: the field's own rule refuses it as a fraction.
        c: 12345678.000000002,
        d: "1.0000000000000001",
      },
    });
  });

  it("leaves whole numbers, however written, and ordinary fractions as numbers", () => {
    const parsed = parseJsonBody(
      '{"a":2.5e5,"b":250000.000,"c":-0.0,"d":1E3,"e":0.5,"f":"x\\"1e-400","g":[10, 2.50]}',
    );
    expect(parsed).toEqual({
      ok: true,
      value: { a: 250_000, b: 250_000, c: -0, d: 1000, e: 0.5, f: 'x"1e-400', g: [10, 2.5] },
    });
  });
});
