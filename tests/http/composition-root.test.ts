import "reflect-metadata";
import { container as rootContainer } from "tsyringe";
import { describe, expect, it } from "vitest";
import { InMemoryUnitOfWork } from "../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { GetAccount } from "../../src/application/accounts/get-account.ts";
import type { PaymentGateway, StkPushRequest } from "../../src/application/ports/payment-gateway.ts";
import { GetSale } from "../../src/application/sales/get-sale.ts";
import { ok } from "../../src/domain/result.ts";
import { PORTS, resolveAll, useCase } from "../../src/main/tokens.ts";
import { jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

/** A gateway that accepts every STK push under one CheckoutRequestID and keeps what it was asked. */
class AcceptingGateway implements PaymentGateway {
  readonly pushes: StkPushRequest[] = [];

  async stkPush(request: StkPushRequest) {
    this.pushes.push(request);
    return ok({ checkoutRequestId: "ws_CO_from_the_test_gateway", merchantRequestId: null });
  }

  stkQuery(): never {
    throw new Error("not asked in this test");
  }

  b2cPayment(): never {
    throw new Error("not asked in this test");
  }

  transactionStatus(): never {
    throw new Error("not asked in this test");
  }

  reverse(): never {
    throw new Error("not asked in this test");
  }

  accountBalance(): never {
    throw new Error("not asked in this test");
  }

  registerC2bUrls(): never {
    throw new Error("not asked in this test");
  }

  pullTransactions(): never {
    throw new Error("not asked in this test");
  }
}

describe("the composition root", () => {
  it("builds the use cases on the clock registered on the clock port's token", async () => {
    const at = new Date("2026-03-02T06:15:00.000Z");
    const { app } = testApp({
      override: (c) => c.register(PORTS.clock, { useValue: new ManualClock(at) }),
    });

    const person = await signUpThroughApi(app);
    const products = await app.request(
      `/api/businesses/${person.businessId}/products`,
      jsonRequest("POST", { name: "Chai", price: 30, stock: 5 }, person.token),
    );
    expect(products.status).toBe(201);
    expect(((await products.json()) as { product: { createdAt: string } }).product.createdAt).toBe(
      at.toISOString(),
    );
  });

  it("sends a sale's push through the gateway registered on the payment gateway port's token", async () => {
    const gateway = new AcceptingGateway();
    const { app } = testApp({
      env: { ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true" },
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
          accountName: "Duka",
          passkey: "a-passkey",
        },
        owner.token,
      ),
    );
    expect(setUp.status).toBe(201);

    const sale = await app.request(
      "/api/sales/payment",
      jsonRequest("POST", { businessId: owner.businessId, phone: "0712345678", amount: 20 }, owner.token),
    );

    expect(sale.status).toBe(202);
    expect(await sale.json()).toMatchObject({
      sale: { status: "pending", checkoutRequestId: "ws_CO_from_the_test_gateway", pushOutcome: "accepted" },
    });
    expect(gateway.pushes).toHaveLength(1);
    expect(gateway.pushes[0]).toMatchObject({ businessShortCode: "5123456", passkey: "a-passkey" });
  });

  it("refuses to hand out a class nobody registered, rather than build it without its dependencies", () => {
    const c = rootContainer.createChildContainer();
    c.register(PORTS.unitOfWork, { useValue: new InMemoryUnitOfWork() });
    useCase(c, GetSale, { uow: PORTS.unitOfWork });

    expect(() => resolveAll(c, { getSale: GetSale, getAccount: GetAccount })).toThrow(
      "not registered in the container: GetAccount",
    );
    expect(resolveAll(c, { getSale: GetSale }).getSale).toBeInstanceOf(GetSale);
  });
});
