import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stkPassword } from "../../src/adapters/daraja/stk-password.ts";
import { createDarajaSimulator } from "../../src/adapters/daraja-simulator/create-daraja-simulator.ts";
import type {
  DarajaSimulator,
  ListeningSimulator,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { SANDBOX_PASSKEY } from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";

/**
 * The simulator on its own, spoken to over raw HTTP as any Daraja client would: its checks must be as strict
 * as Daraja's, whatever PayMe's gateway happens to send.
 */

const TIMESTAMP = "20260301120000";

function aPushBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    BusinessShortCode: "174379",
    Password: stkPassword("174379", SANDBOX_PASSKEY, TIMESTAMP),
    Timestamp: TIMESTAMP,
    TransactionType: "CustomerPayBillOnline",
    Amount: 1,
    PartyA: "254712345678",
    PartyB: "174379",
    PhoneNumber: "254712345678",
    CallBackURL: "https://payme.example/api/mpesa/callback/token",
    AccountReference: "INV001",
    TransactionDesc: "Invoice",
    ...overrides,
  };
}

describe("the Daraja simulator over raw HTTP", () => {
  const clock = new ManualClock(new Date("2026-03-01T09:00:00Z"));
  let simulator: DarajaSimulator;
  let server: ListeningSimulator;

  beforeAll(async () => {
    simulator = createDarajaSimulator({ delayMs: 60_000, clock, tokenTtlSeconds: 60 });
    server = await simulator.listen(0);
  });
  afterAll(() => server.close());
  beforeEach(() => simulator.reset());

  async function call(
    method: "GET" | "POST",
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await request(`${server.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...options.headers },
      body:
        options.body === undefined
          ? null
          : typeof options.body === "string"
            ? options.body
            : JSON.stringify(options.body),
    });
    return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
  }

  async function token(key = "any-key", secret = "any-secret"): Promise<string> {
    const answer = await call("GET", "/oauth/v1/generate?grant_type=client_credentials", {
      headers: { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}` },
    });
    expect(answer.status).toBe(200);
    return String(answer.json.access_token);
  }

  async function push(body: Record<string, unknown>, bearer?: string) {
    return call("POST", "/mpesa/stkpush/v1/processrequest", {
      body,
      headers: { authorization: `Bearer ${bearer ?? (await token())}` },
    });
  }

  const invalid = (field: string) => ({
    status: 400,
    json: {
      requestId: expect.any(String),
      errorCode: "400.002.02",
      errorMessage: `Bad Request - Invalid ${field}`,
    },
  });

  describe("OAuth", () => {
    it("issues a 28-character token with expires_in as a string, as Daraja does", async () => {
      const answer = await call("GET", "/oauth/v1/generate?grant_type=client_credentials", {
        headers: { authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
      });
      expect(answer).toEqual({
        status: 200,
        json: { access_token: expect.stringMatching(/^[A-Za-z0-9]{28}$/), expires_in: "59" },
      });
    });

    it("refuses a missing Basic header and a wrong grant type with Daraja's codes", async () => {
      expect(await call("GET", "/oauth/v1/generate?grant_type=client_credentials")).toMatchObject({
        status: 400,
        json: { errorCode: "400.008.01", errorMessage: "Invalid Authentication passed" },
      });
      expect(
        await call("GET", "/oauth/v1/generate?grant_type=password", {
          headers: { authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
        }),
      ).toMatchObject({ status: 400, json: { errorCode: "400.008.02" } });
    });

    it("lets its tokens expire", async () => {
      const bearer = await token();
      expect((await push(aPushBody(), bearer)).status).toBe(200);
      clock.advance(61_000);
      expect(await push(aPushBody(), bearer)).toMatchObject({
        status: 404,
        json: { errorCode: "404.001.03", errorMessage: "Invalid Access Token" },
      });
    });

    it("only accepts the configured consumer key and secret when they are set", async () => {
      const strict = createDarajaSimulator({ consumerKey: "payme", consumerSecret: "s3cret" });
      const answer = (authorization: string) =>
        strict.app.request("/oauth/v1/generate?grant_type=client_credentials", {
          headers: { authorization },
        });
      const basic = (pair: string) => `Basic ${Buffer.from(pair).toString("base64")}`;
      expect((await answer(basic("payme:wrong"))).status).toBe(400);
      expect((await answer(basic("other:s3cret"))).status).toBe(400);
      expect((await answer(basic("payme:s3cret"))).status).toBe(200);
      await strict.close();
    });
  });

  describe("STK push checks, as strict as Daraja's", () => {
    it("accepts a well-formed push and answers like Daraja", async () => {
      expect(await push(aPushBody())).toEqual({
        status: 200,
        json: {
          MerchantRequestID: expect.any(String),
          CheckoutRequestID: expect.stringMatching(/^ws_CO_\d{17}712345678$/),
          ResponseCode: "0",
          ResponseDescription: "Success. Request accepted for processing",
          CustomerMessage: "Success. Request accepted for processing",
        },
      });
    });

    it.each([
      ["BusinessShortCode", { BusinessShortCode: "12" }],
      ["Timestamp", { Timestamp: "2026-03-01 12:00" }],
      ["Timestamp", { Timestamp: "20260231120000" }],
      ["TransactionType", { TransactionType: "CustomerPayBill" }],
      ["Amount", { Amount: 1.5 }],
      ["Amount", { Amount: 0 }],
      ["Amount", { Amount: 250_001 }],
      ["Amount", { Amount: "10.50" }],
      ["PartyA", { PartyA: "0712345678" }],
      ["PartyA", { PartyA: "254812345678" }],
      ["PhoneNumber", { PhoneNumber: "25471234567" }],
      ["CallBackURL", { CallBackURL: "ftp://payme.example/callback" }],
      ["CallBackURL", { CallBackURL: " https://payme.example/callback" }],
      ["AccountReference", { AccountReference: "ABCDEFGHIJKLM" }],
      ["AccountReference", { AccountReference: "" }],
      ["TransactionDesc", { TransactionDesc: "ABCDEFGHIJKLMN" }],
      ["TransactionDesc", { TransactionDesc: undefined }],
      ["PartyB", { PartyB: "5123456" }],
    ])("refuses an invalid %s (%j)", async (field, overrides) => {
      expect(await push(aPushBody(overrides))).toEqual(invalid(field));
    });

    it("accepts Daraja's own type mix: numbers for codes and phones, a string amount, 2541 numbers, 12 and 13 characters", async () => {
      const answer = await push(
        aPushBody({
          BusinessShortCode: 174379,
          Amount: "250000",
          PartyA: 254110123456,
          PhoneNumber: "254110123456",
          AccountReference: "ABCDEFGHIJKL",
          TransactionDesc: "ABCDEFGHIJKLM",
        }),
      );
      expect(answer.status).toBe(200);
    });

    it("lets a Buy Goods push credit a till other than its store number", async () => {
      const timestamp = TIMESTAMP;
      const body = aPushBody({
        TransactionType: "CustomerBuyGoodsOnline",
        BusinessShortCode: "300584",
        PartyB: "5123456",
        Password: stkPassword("300584", "any-passkey", timestamp),
      });
      expect((await push(body)).status).toBe(200);
    });

    it("answers 'Wrong credentials' for a wrong passkey, or a password that does not match the body's timestamp", async () => {
      const wrongCredentials = {
        status: 500,
        json: { requestId: expect.any(String), errorCode: "500.001.1001", errorMessage: "Wrong credentials" },
      };
      expect(
        await push(aPushBody({ Password: stkPassword("174379", "not-the-passkey", TIMESTAMP) })),
      ).toEqual(wrongCredentials);
      expect(await push(aPushBody({ Timestamp: "20260301120001" }))).toEqual(wrongCredentials);
      // An unknown shortcode takes any passkey, but its password must still carry this body's shortcode and timestamp.
      const unknown = { BusinessShortCode: "777001", PartyB: "777001" };
      expect(
        (await push(aPushBody({ ...unknown, Password: stkPassword("777001", "whatever", TIMESTAMP) })))
          .status,
      ).toBe(200);
      expect(
        await push(aPushBody({ ...unknown, Password: stkPassword("777002", "whatever", TIMESTAMP) })),
      ).toEqual(wrongCredentials);
    });

    it("refuses a body that is not JSON-typed as Daraja does: by naming the first field", async () => {
      const bearer = await token();
      const answer = await request(`${server.url}/mpesa/stkpush/v1/processrequest`, {
        method: "POST",
        headers: { "content-type": "text/plain", authorization: `Bearer ${bearer}` },
        body: JSON.stringify(aPushBody()),
      });
      expect(answer.statusCode).toBe(400);
      expect(await answer.body.json()).toMatchObject({
        errorMessage: "Bad Request - Invalid BusinessShortCode",
      });
    });

    it("answers unknown paths and wrong methods with Daraja's envelopes", async () => {
      expect(await call("GET", "/mpesa/unknown/v1/thing")).toMatchObject({
        status: 404,
        json: { errorCode: "404.001.01", errorMessage: "Resource not found" },
      });
      expect(await call("GET", "/mpesa/stkpush/v1/processrequest")).toMatchObject({
        status: 405,
        json: { errorCode: "405.001" },
      });
    });
  });

  describe("STK Query", () => {
    it("answers 'being processed', echoing the CheckoutRequestID, until the payment is settled", async () => {
      const bearer = await token();
      const { json } = await push(aPushBody({ PhoneNumber: "254700000002", PartyA: "254700000002" }), bearer);
      const checkoutRequestId = String(json.CheckoutRequestID);
      const query = () =>
        call("POST", "/mpesa/stkpushquery/v1/query", {
          headers: { authorization: `Bearer ${bearer}` },
          body: {
            BusinessShortCode: "174379",
            Password: stkPassword("174379", SANDBOX_PASSKEY, TIMESTAMP),
            Timestamp: TIMESTAMP,
            CheckoutRequestID: checkoutRequestId,
          },
        });

      expect(await query()).toEqual({
        status: 500,
        json: {
          requestId: checkoutRequestId,
          errorCode: "500.001.1001",
          errorMessage: "The transaction is being processed",
        },
      });
      await simulator.settle(checkoutRequestId);
      expect(await query()).toEqual({
        status: 200,
        json: {
          ResponseCode: "0",
          ResponseDescription: "The service request has been accepted successsfully",
          MerchantRequestID: json.MerchantRequestID,
          CheckoutRequestID: checkoutRequestId,
          ResultCode: "1",
          ResultDesc: "The balance is insufficient for the transaction.",
        },
      });
      expect(simulator.stats().stkQueries).toEqual({ [checkoutRequestId]: 2 });
    });

    it("counts the most queries in flight at once for one checkout", async () => {
      const slow = createDarajaSimulator({ delayMs: 60_000, queryLatencyMs: 50 });
      const slowServer = await slow.listen(0);
      try {
        const bearerAnswer = await request(
          `${slowServer.url}/oauth/v1/generate?grant_type=client_credentials`,
          {
            headers: { authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
          },
        );
        const bearer = String(((await bearerAnswer.body.json()) as Record<string, unknown>).access_token);
        const post = async (path: string, body: unknown) =>
          (await (
            await request(`${slowServer.url}${path}`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
              body: JSON.stringify(body),
            })
          ).body.json()) as Record<string, unknown>;
        const pushed = await post("/mpesa/stkpush/v1/processrequest", aPushBody());
        const query = {
          BusinessShortCode: "174379",
          Password: stkPassword("174379", SANDBOX_PASSKEY, TIMESTAMP),
          Timestamp: TIMESTAMP,
          CheckoutRequestID: pushed.CheckoutRequestID,
        };
        await Promise.all([1, 2, 3].map(() => post("/mpesa/stkpushquery/v1/query", query)));
        await post("/mpesa/stkpushquery/v1/query", query);
        expect(slow.stats()).toMatchObject({
          maxConcurrentQueriesPerCheckout: 3,
          stkQueries: { [String(pushed.CheckoutRequestID)]: 4 },
        });
      } finally {
        await slowServer.close();
      }
    });
  });

  describe("inspection and faults over HTTP, under /__simulator", () => {
    it("serves its statistics and the pushes it received, with passwords and callback tokens redacted", async () => {
      await push(aPushBody());
      const stats = await call("GET", "/__simulator/stats");
      expect(stats).toMatchObject({
        status: 200,
        json: { stkPushes: 1, oauthRequests: { "any-key": 1 }, requests: { stk_push: 1 } },
      });
      const pushes = await call("GET", "/__simulator/stk-pushes");
      expect(pushes.json).toEqual({
        pushes: [
          expect.objectContaining({
            Password: "[redacted]",
            CallBackURL: "https://payme.example/api/mpesa/callback/[redacted]",
            Amount: 1,
          }),
        ],
      });
    });

    it("takes a fault over HTTP and applies it to the next request only", async () => {
      const fault = await call("POST", "/__simulator/faults", {
        body: {
          api: "stk_push",
          error: { status: 500, errorCode: "500.003.02", errorMessage: "Spike Arrest Violation" },
        },
      });
      expect(fault.status).toBe(200);
      expect(await push(aPushBody())).toMatchObject({ status: 500, json: { errorCode: "500.003.02" } });
      expect((await push(aPushBody())).status).toBe(200);
      expect((await call("POST", "/__simulator/faults", { body: { api: "nothing" } })).status).toBe(400);
    });
  });
});
