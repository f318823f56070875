import { describe, expect, it } from "vitest";
import { InMemoryPaymentGateway } from "../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import { SequentialReferenceGenerator } from "../../src/adapters/in-memory/sequential-reference-generator.ts";
import { PORTS } from "../../src/main/tokens.ts";
import { jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

describe("sale references", () => {
  it("every sale gets a short reference unique within its business; a reference drawn twice is drawn again", async () => {
    // Each reference is handed out twice: every sale after the first draws a taken one first.
    const { app } = testApp({
      env: { ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true", PUSHES_PER_PHONE: "100" },
      override: (c) => {
        c.register(PORTS.paymentGateway, { useValue: new InMemoryPaymentGateway() });
        c.register(PORTS.references, { useValue: new SequentialReferenceGenerator(2) });
      },
    });
    const owner = await signUpThroughApi(app);
    const setUp = await app.request(
      "/api/payment-config/setup",
      jsonRequest(
        "POST",
        {
          businessId: owner.businessId,
          paymentMethod: "paybill",
          shortcode: "600123",
          accountReference: "DUKA",
          accountName: "Duka",
          passkey: "pk",
        },
        owner.token,
      ),
    );
    expect(setUp.status).toBe(201);
    const references: string[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await app.request(
        "/api/sales/payment",
        jsonRequest(
          "POST",
          { businessId: owner.businessId, phone: "0712345678", amount: 20 + i },
          owner.token,
        ),
      );
      expect(answer.status).toBe(202);
      const { sale } = (await answer.json()) as { sale: { id: string; reference: string } };
      references.push(sale.reference);
      const read = await app.request(`/api/sales/${sale.id}`, {
        headers: { Authorization: `Bearer ${owner.token}` },
      });
      expect(((await read.json()) as { sale: { reference: string } }).sale.reference).toBe(sale.reference);
    }
    expect(references).toEqual(["222223", "222224", "222225", "222226"]);
  });
});
