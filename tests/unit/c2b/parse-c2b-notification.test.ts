import { describe, expect, it } from "vitest";
import { parseC2bNotification } from "../../../src/adapters/daraja/parse-c2b-notification.ts";
import { SaleReference } from "../../../src/domain/sale-reference.ts";
import { sample } from "../../daraja/daraja-test-kit.ts";

const v1 = sample("c2b_confirmation_v1_sandbox_2019") as Record<string, unknown>;

describe("reading a C2B confirmation", () => {
  it("reads Daraja's real v1 and v2 payloads: whole amounts, Nairobi time, the phone kept as sent", () => {
    const first = parseC2bNotification(v1);
    expect(first.ok && first.value).toEqual({
      transactionType: "Pay Bill",
      receipt: "NJN81HAORO",
      paidAt: new Date("2019-10-23T12:33:55.000Z"),
      amount: 3000,
      shortcode: "601497",
      accountNumber: "test1",
      phone: "254708374149",
      payerName: "John J. Doe",
    });
    const masked = parseC2bNotification(sample("c2b_confirmation_v2_masked_sandbox_2022"));
    expect(masked.ok && masked.value).toMatchObject({
      receipt: "QKL21LNLDS",
      amount: 4,
      phone: "2******9",
      payerName: "John",
    });
    const docs = parseC2bNotification(sample("c2b_confirmation_v2_masked_docs"));
    expect(docs.ok && docs.value).toMatchObject({ phone: "2547 ***** 126", amount: 5 });
  });

  it("refuses what could never be credited, naming the field", () => {
    const refused = (overrides: Record<string, unknown>) => {
      const parsed = parseC2bNotification({ ...v1, ...overrides });
      return parsed.ok ? null : parsed.error.field;
    };
    expect(refused({ TransAmount: "abc" })).toBe("TransAmount");
    expect(refused({ TransAmount: "10.50" })).toBe("TransAmount");
    expect(refused({ TransAmount: "0.00" })).toBe("TransAmount");
    expect(refused({ TransAmount: "99999999" })).toBe("TransAmount");
    expect(refused({ TransID: undefined })).toBe("TransID");
    expect(refused({ TransID: "X".repeat(40) })).toBe("TransID");
    expect(refused({ BillRefNumber: "A".repeat(500) })).toBe("BillRefNumber");
    expect(refused({ TransTime: "20191332153355" })).toBe("TransTime");
    expect(refused({ BusinessShortCode: "12" })).toBe("BusinessShortCode");
    expect(refused({ MSISDN: "" })).toBe("MSISDN");
    expect(parseC2bNotification([v1]).ok).toBe(false);
    expect(refused({ TransAmount: 3000 })).toBeNull();
  });
});

describe("sale references", () => {
  it("are six characters of an alphabet without look-alikes, read back in any case and spacing", () => {
    const reference = SaleReference.fromRandomBytes(new Uint8Array([0, 1, 2, 29, 30, 31]));
    expect(reference.value).toBe("234XYZ");
    expect(SaleReference.read(" 234 xyz ")?.value).toBe("234XYZ");
    expect(SaleReference.read("234-XYZ")?.value).toBe("234XYZ");
    expect(SaleReference.read("O34XYZ")).toBeNull();
    expect(SaleReference.read("234XY")).toBeNull();
    expect(SaleReference.read("test1")).toBeNull();
  });
});
