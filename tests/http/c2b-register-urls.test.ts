import { describe, expect, it } from "vitest";
import { InMemoryPaymentGateway } from "../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

describe("registering C2B URLs", () => {
  it("refuses, before Daraja is asked, when the callback origin holds a word Daraja screens out of C2B URLs", async () => {
    const gateway = new InMemoryPaymentGateway();
    const { app } = testApp({
      env: { MPESA_CALLBACK_URL: "https://pay.mpesa-shop.example/hooks/stk" },
      override: (c) => c.register(PORTS.paymentGateway, { useValue: gateway }),
    });
    const owner = await signUpThroughApi(app);
    const answer = await app.request(
      `/api/businesses/${owner.businessId}/c2b/register`,
      jsonRequest("POST", {}, owner.token),
    );
    expect(answer.status).toBe(400);
    const problem = (await answer.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors[0]?.path).toBe("MPESA_CALLBACK_URL");
    expect(problem.errors[0]?.message).toContain('"mpesa"');
    expect(gateway.script.registerC2bUrls.requests).toHaveLength(0);
  });

  it("refuses an unverified config; registers a verified till's store number on the callback origin, with a fresh hex token each time", async () => {
    const gateway = new InMemoryPaymentGateway();
    const { app, container } = testApp({
      env: {
        MPESA_CALLBACK_URL: "https://pay.example.com/hooks/stk",
        ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true",
      },
      override: (c) => c.register(PORTS.paymentGateway, { useValue: gateway }),
    });
    const owner = await signUpThroughApi(app);
    const setUp = await app.request(
      "/api/payment-config/setup",
      jsonRequest(
        "POST",
        {
          businessId: owner.businessId,
          paymentMethod: "till",
          shortcode: "5123456",
          storeNumber: "5123457",
          accountName: "Duka",
          passkey: "pk",
        },
        owner.token,
      ),
    );
    const unverified = await app.request(
      `/api/businesses/${owner.businessId}/c2b/register`,
      jsonRequest("POST", {}, owner.token),
    );
    // Only a verified config registers, whatever ALLOW_UNVERIFIED_PAYMENT_CONFIG lets a push do.
    expect(unverified.status).toBe(422);
    expect(gateway.script.registerC2bUrls.requests).toHaveLength(0);

    const { config } = (await setUp.json()) as { config: { id: string } };
    await resolve(container, PORTS.unitOfWork).run((r) => r.paymentConfigs.markVerified(config.id));
    const tokens: string[] = [];
    for (const responseType of ["Completed", "Cancelled"]) {
      const answer = await app.request(
        `/api/businesses/${owner.businessId}/c2b/register`,
        jsonRequest("POST", { responseType }, owner.token),
      );
      expect(answer.status).toBe(200);
      const sent = gateway.script.registerC2bUrls.requests.at(-1);
      expect(sent).toMatchObject({ shortcode: "5123457", responseType });
      const token = /^https:\/\/pay\.example\.com\/hooks\/c2b\/confirmation\/([0-9a-f]{64})$/.exec(
        sent?.confirmationUrl ?? "",
      )?.[1];
      expect(token).toBeDefined();
      expect(sent?.validationUrl).toBe(`https://pay.example.com/hooks/c2b/validation/${token}`);
      const text = await answer.text();
      expect(text).not.toContain(token ?? "-");
      expect(JSON.parse(text).c2b.confirmationUrl).toBe(
        `https://pay.example.com/hooks/c2b/confirmation/****${token?.slice(-4)}`,
      );
      tokens.push(token ?? "");
    }
    expect(new Set(tokens).size).toBe(2);
  });
});
