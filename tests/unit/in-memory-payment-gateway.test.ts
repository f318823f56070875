import { describe, expect, it } from "vitest";
import {
  GatewayNetworkError,
  gatewayAnswers,
  InMemoryPaymentGateway,
} from "../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import type { StkQueryRequest } from "../../src/application/ports/payment-gateway.ts";
import { ok } from "../../src/domain/result.ts";

const query = (checkoutRequestId: string): StkQueryRequest => ({
  app: null,
  businessShortCode: "174379",
  passkey: "passkey",
  checkoutRequestId,
});

describe("InMemoryPaymentGateway", () => {
  it("answers from the default until told otherwise: a push is accepted with fresh ids, a query is still processing", async () => {
    const gateway = new InMemoryPaymentGateway();
    expect(await gateway.stkQuery(query("ws_CO_1"))).toEqual(ok({ type: "pending" }));
    const b2c = await gateway.transactionStatus({
      account: { app: null, shortcode: "600996", initiatorName: "api", initiatorPassword: "pw" },
      originatorConversationId: "o-1",
      resultUrl: "https://payme.test/r",
      queueTimeoutUrl: "https://payme.test/t",
    });
    expect(b2c.ok && b2c.value.conversationId).toBe("AG_000001");
  });

  it("uses lined-up answers once each, in order, then the fallback; records every request", async () => {
    const gateway = new InMemoryPaymentGateway();
    gateway.script.stkQuery
      .next(ok({ type: "paid" }), gatewayAnswers.outcomeUnknown())
      .otherwise((request, index) =>
        ok({
          type: "unsuccessful",
          resultCode: "1032",
          description: `${request.checkoutRequestId}#${index}`,
        }),
      );
    const answers = [];
    for (const id of ["a", "b", "c", "d"]) {
      answers.push(await gateway.stkQuery(query(id)));
    }
    expect(answers).toEqual([
      ok({ type: "paid" }),
      gatewayAnswers.outcomeUnknown(),
      ok({ type: "unsuccessful", resultCode: "1032", description: "c#2" }),
      ok({ type: "unsuccessful", resultCode: "1032", description: "d#3" }),
    ]);
    expect(gateway.script.stkQuery.requests.map((r) => r.checkoutRequestId)).toEqual(["a", "b", "c", "d"]);
    expect(gateway.script.stkQuery.last.checkoutRequestId).toBe("d");
  });

  it("throws a scripted network error, after recording the request", async () => {
    const gateway = new InMemoryPaymentGateway();
    gateway.script.stkQuery.next(gatewayAnswers.networkError("connection reset"));
    await expect(gateway.stkQuery(query("x"))).rejects.toThrow(GatewayNetworkError);
    expect(gateway.script.stkQuery.requests).toHaveLength(1);
  });

  it("refuses to show a request that was never sent", () => {
    expect(() => new InMemoryPaymentGateway().script.b2cPayment.last).toThrow(
      "no request of this kind was sent",
    );
  });
});
