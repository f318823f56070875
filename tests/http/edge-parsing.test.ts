import { describe, expect, it } from "vitest";
import { Kes } from "../../src/domain/kes.ts";
import { Quantity } from "../../src/domain/quantity.ts";
import { signUpThroughApi, type TestApp, testApp } from "../support/test-app.ts";

type Problem = { code: string; errors?: { path: string; message: string }[] };

/** A body is parsed once, at the route, by the value objects: the answer names their rule, in their words. */
describe("parsing at the edge", () => {
  const post = async (app: TestApp["app"], path: string, text: string, token: string) => {
    const response = await app.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: text,
    });
    return { status: response.status, body: (await response.json()) as Problem };
  };

  it("answers a bad amount and quantity with the value objects' own messages, every field at once", async () => {
    const { app } = testApp();
    const { token, businessId } = await signUpThroughApi(app);
    const fraction = Kes.forPush(0.5);
    const quantity = Quantity.parse(0);
    const { status, body } = await post(
      app,
      "/api/sales/payment",
      JSON.stringify({
        businessId,
        phone: "0712345678",
        amount: 0.5,
        items: [{ productId: businessId, quantity: 0 }],
      }),
      token,
    );
    expect(status).toBe(400);
    expect(body.code).toBe("validation_failed");
    expect(body.errors).toEqual([
      { path: "amount", message: !fraction.ok ? fraction.error.errors[0]?.message : "" },
      { path: "items.0.quantity", message: !quantity.ok ? quantity.error.errors[0]?.message : "" },
    ]);
  });

  it("refuses a fraction JSON.parse would round to a whole number, instead of charging the rounded amount", async () => {
    const { app } = testApp();
    const { token, businessId } = await signUpThroughApi(app);
    const { status, body } = await post(
      app,
      "/api/wallet-payment/initiate",
      `{"phone":"0712345678","amount":100.0000000000000001,"businessId":"${businessId}"}`,
      token,
    );
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.path)).toEqual(["amount"]);
  });

  it("still refuses a body that is not JSON before any schema sees it", async () => {
    const { app } = testApp();
    const { token } = await signUpThroughApi(app);
    const { status, body } = await post(app, "/api/businesses", "[1, 2]", token);
    expect([status, body.code]).toEqual([400, "malformed_request"]);
  });
});
