import { describe, expect, it } from "vitest";
import { InMemoryPaymentGateway } from "../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import { C2bPayment } from "../../src/domain/c2b-payment.ts";
import { Kes } from "../../src/domain/kes.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { anId, T0 } from "../support/builders.ts";
import { bearer, jsonRequest, testApp } from "../support/test-app.ts";
import { WebClient } from "../support/web-client.ts";

describe("the dashboard and C2B", () => {
  it("shows a pending paybill sale's reference with how to pay it from the menu, and C2B payments beside the sales", async () => {
    const { app, container } = testApp({
      env: { ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true" },
      override: (c) => c.register(PORTS.paymentGateway, { useValue: new InMemoryPaymentGateway() }),
    });
    const browser = new WebClient(app);
    const { businessId } = await browser.signUp();
    const jwt = (browser.cookie ?? "").split("=")[1] ?? "";
    const setUp = await app.request(
      "/api/payment-config/setup",
      jsonRequest(
        "POST",
        {
          businessId,
          paymentMethod: "paybill",
          shortcode: "600123",
          accountReference: "DUKA",
          accountName: "Duka",
          passkey: "pk",
        },
        jwt,
      ),
    );
    expect(setUp.status).toBe(201);
    const charged = await app.request(
      "/api/sales/payment",
      jsonRequest("POST", { businessId, phone: "0712345678", amount: 250 }, jwt),
    );
    const { sale } = (await charged.json()) as { sale: { reference: string; status: string } };
    expect(sale.status).toBe("pending");
    await resolve(container, PORTS.unitOfWork).run((r) =>
      r.c2bPayments.addIfNew(
        C2bPayment.record({
          id: anId(),
          businessId,
          receipt: "QKL21LNLDS",
          amount: Kes.restore(400),
          phone: "2547 ***** 126",
          payerName: "JANE",
          accountNumber: "walk-in",
          transactionType: "Pay Bill",
          shortcode: "600123",
          paidAt: T0,
          source: "confirmation",
          createdAt: T0,
        }),
      ),
    );
    const page = await (await browser.get(`/dashboard?business=${businessId}`)).text();
    expect(page).toContain(`Or pay to paybill 600123, account ${sale.reference}`);
    expect(page).toContain(`Sale ${sale.reference}`);
    expect(page).toContain("C2B · QKL21LNLDS");
    expect(page).toContain("account walk-in");
    // The API lists the same payment.
    const listed = await app.request(`/api/businesses/${businessId}/c2b-payments`, bearer(jwt));
    expect(((await listed.json()) as { totals: unknown }).totals).toEqual({ count: 1, amount: 400 });
  });
});
