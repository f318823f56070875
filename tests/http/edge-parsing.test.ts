import { describe, expect, it } from "vitest";
import { AccountName } from "../../src/domain/account-name.ts";
import { DarajaCredential } from "../../src/domain/daraja-credential.ts";
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

  it("answers a bad payment-config setup with the value objects' messages, each field by its name", async () => {
    const { app } = testApp();
    const { token } = await signUpThroughApi(app);
    const { status, body } = await post(
      app,
      "/api/payment-config/setup",
      JSON.stringify({
        payment_method: "card",
        shortcode: 1234,
        store_number: "12x45",
        passkey: "   ",
        account_name: "x".repeat(AccountName.MAX + 1),
        consumerKey: "",
        consumerSecret: "k".repeat(DarajaCredential.MAX + 1),
      }),
      token,
    );
    expect(status).toBe(400);
    expect(body.code).toBe("validation_failed");
    expect(body.errors).toEqual([
      { path: "paymentMethod", message: 'must be "till" or "paybill"' },
      { path: "shortcode", message: "must be 5 to 7 digits" },
      { path: "storeNumber", message: "must be 5 to 7 digits" },
      { path: "passkey", message: "must not be empty" },
      { path: "accountName", message: `must be at most ${AccountName.MAX} characters` },
      { path: "consumerSecret", message: `must be at most ${DarajaCredential.MAX} characters` },
    ]);
  });

  it("sets up a till sent with a numeric shortcode, and asks for the consumer secret that goes with a key", async () => {
    const { app } = testApp();
    const { token } = await signUpThroughApi(app);
    const base = { paymentMethod: "till", shortcode: 5123456, passkey: "pk", accountName: "Kiosk" };
    const lone = await post(
      app,
      "/api/payment-config/setup",
      JSON.stringify({ ...base, consumerKey: "ck" }),
      token,
    );
    expect([lone.status, lone.body.errors]).toEqual([
      400,
      [{ path: "consumerSecret", message: "is required" }],
    ]);
    const created = await post(app, "/api/payment-config/setup", JSON.stringify(base), token);
    expect(created.status).toBe(201);
  });

  it("still refuses a body that is not JSON before any schema sees it", async () => {
    const { app } = testApp();
    const { token } = await signUpThroughApi(app);
    const { status, body } = await post(app, "/api/businesses", "[1, 2]", token);
    expect([status, body.code]).toEqual([400, "malformed_request"]);
  });

  it("reads a business's name and a sign-up's fields by the domain's own rules, and trims them once", async () => {
    const { app } = testApp();
    const { token } = await signUpThroughApi(app);
    const empty = await post(app, "/api/businesses", JSON.stringify({ name: "   " }), token);
    expect([empty.status, empty.body.errors]).toEqual([
      400,
      [{ path: "name", message: "must not be empty" }],
    ]);
    const trimmed = await app.request("/api/businesses", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: "  Duka Bora " }),
    });
    expect(((await trimmed.json()) as { business: { name: string } }).business.name).toBe("Duka Bora");

    const signUp = await app.request("/auth/sign-up", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "not-an-email", password: "short", name: "Amina", phone: "12" }),
    });
    const problem = (await signUp.json()) as Problem;
    expect([signUp.status, problem.errors?.map((e) => e.path).sort()]).toEqual([
      400,
      ["email", "password", "phone"],
    ]);
  });
});
