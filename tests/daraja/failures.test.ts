import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemClock } from "../../src/adapters/clock/system-clock.ts";
import { classifyDarajaError } from "../../src/adapters/daraja/classify-daraja-error.ts";
import { darajaCertificate } from "../../src/adapters/daraja/daraja-certificate.ts";
import { DarajaGateway } from "../../src/adapters/daraja/daraja-gateway.ts";
import type { DarajaCallEvent } from "../../src/adapters/daraja/daraja-gateway-observer.ts";
import type { GatewayFailure } from "../../src/application/ports/payment-gateway.ts";
import {
  aPaybillPush,
  aPayoutRequest,
  type DarajaRig,
  failureOf,
  okValue,
  pathOf,
  startRig,
} from "./daraja-test-kit.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 1;
}

describe("gateway failures, against the simulator over HTTP", () => {
  let rig: DarajaRig;
  /** A gateway that gives up quickly, for the timeout cases. */
  let impatient: DarajaGateway;
  const failures: GatewayFailure[] = [];
  const record = (failure: GatewayFailure) => {
    failures.push(failure);
    return failure;
  };

  beforeAll(async () => {
    rig = await startRig();
    impatient = rig.gatewayWith({ requestTimeoutMs: 300 });
  });
  afterAll(() => rig.close());

  const queryOf = (gateway: DarajaGateway, checkoutRequestId: string) =>
    gateway.stkQuery({
      app: null,
      businessShortCode: "174379",
      passkey: aPaybillPush(rig.receiver).passkey,
      checkoutRequestId,
    });

  describe("a push or payout whose answer does not come in time", () => {
    it("is outcome_unknown for a push, and the push is not sent again", async () => {
      const before = rig.simulator.stats().requests.stk_push;
      rig.simulator.injectFault({ api: "stk_push", delayMs: 800 });

      const failure = record(failureOf(await impatient.stkPush(aPaybillPush(rig.receiver))));
      expect(failure.type).toBe("outcome_unknown");
      expect(failure.message).toContain("may still get the prompt");

      await sleep(900);
      // Daraja got it and acted on it; the gateway did not try again.
      expect(rig.simulator.stats().requests.stk_push).toBe(before + 1);
      expect(rig.simulator.stats().stkPushes).toBe(before + 1);
    });

    it("is outcome_unknown for a payout, never sent twice", async () => {
      const before = rig.simulator.stats().requests.b2c_payment;
      rig.simulator.injectFault({ api: "b2c_payment", delayMs: 800 });

      const failure = record(failureOf(await impatient.b2cPayment(aPayoutRequest(rig.receiver))));
      expect(failure.type).toBe("outcome_unknown");
      expect(failure.message).toContain("Do not send it again");
      await sleep(900);
      expect(rig.simulator.stats().requests.b2c_payment).toBe(before + 1);
      expect(rig.simulator.stats().b2cRequests).toBe(before + 1);
      await rig.simulator.whenIdle();
    });

    it("is outcome_unknown for a Transaction Status request too (its result may still come)", async () => {
      const payout = aPayoutRequest(rig.receiver);
      rig.simulator.injectFault({ api: "transaction_status", delayMs: 800 });
      const failure = record(
        failureOf(
          await impatient.transactionStatus({
            account: payout.account,
            originatorConversationId: payout.originatorConversationId,
            resultUrl: payout.resultUrl,
            queueTimeoutUrl: payout.queueTimeoutUrl,
          }),
        ),
      );
      expect(failure.type).toBe("outcome_unknown");
      await sleep(900);
      await rig.simulator.whenIdle();
    });

    it("is outcome_unknown when the answer comes garbled after Daraja acted (a proxy's HTML page)", async () => {
      const before = rig.simulator.stats().stkPushes;
      rig.simulator.injectFault({
        api: "stk_push",
        rawBody: { status: 502, body: "<html>Bad Gateway</html>" },
      });
      expect(record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver)))).type).toBe(
        "outcome_unknown",
      );
      expect(rig.simulator.stats().stkPushes).toBe(before + 1);
    });
  });

  describe("an answer that does not say whether the push or payout started", () => {
    it("is outcome_unknown for a 5xx envelope that came after Daraja acted, and the callback still comes", async () => {
      rig.simulator.injectFault({
        api: "stk_push",
        afterProcessing: true,
        error: { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" },
      });
      const push = aPaybillPush(rig.receiver);
      const failure = record(failureOf(await rig.gateway.stkPush(push)));
      expect(failure.type).toBe("outcome_unknown");
      expect(failure.message).toContain("may still get the prompt");
      // The push really started: M-Pesa calls back with the result, ResultCode 0.
      const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
      expect(callback?.body).toMatchObject({ Body: { stkCallback: { ResultCode: 0 } } });
    });

    it.each([
      ["an undocumented 5xx", { status: 503, errorCode: "503.999.01", errorMessage: "Something new" }],
      [
        "500.001.1001 with a message that is not a refusal",
        { status: 500, errorCode: "500.001.1001", errorMessage: "The transaction is being processed" },
      ],
      [
        "500.002.1001, which is a B2C code",
        { status: 500, errorCode: "500.002.1001", errorMessage: "Duplicate OriginatorConversationID." },
      ],
    ])("is outcome_unknown for %s on a push, never a refusal", async (_what, error) => {
      rig.simulator.injectFault({ api: "stk_push", afterProcessing: true, error });
      expect(record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver)))).type).toBe(
        "outcome_unknown",
      );
    });

    it("is outcome_unknown for JSON that is neither an acceptance nor Daraja's error envelope", async () => {
      rig.simulator.injectFault({
        api: "stk_push",
        rawBody: { status: 200, body: '{"status":"queued"}', contentType: "application/json" },
      });
      expect(record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver)))).type).toBe(
        "outcome_unknown",
      );
      rig.simulator.injectFault({
        api: "stk_push",
        rawBody: {
          status: 500,
          body: '{"fault":{"faultstring":"Gateway timeout"}}',
          contentType: "application/json",
        },
      });
      expect(record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver)))).type).toBe(
        "outcome_unknown",
      );
    });

    it("is outcome_unknown for an acceptance whose ids are longer than Daraja's: they could never be stored", async () => {
      const longId = `ws_CO_${"9".repeat(3_000)}`;
      rig.simulator.injectFault({
        api: "stk_push",
        rawBody: {
          status: 200,
          body: JSON.stringify({
            MerchantRequestID: "29115-34620561-1",
            CheckoutRequestID: longId,
            ResponseCode: "0",
            ResponseDescription: "Success. Request accepted for processing",
          }),
          contentType: "application/json",
        },
      });
      expect(record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver)))).type).toBe(
        "outcome_unknown",
      );
      rig.simulator.injectFault({
        api: "b2c_payment",
        rawBody: {
          status: 200,
          body: JSON.stringify({
            ConversationID: "AG_20191219_00005797af5d7d75f652",
            OriginatorConversationID: longId,
            ResponseCode: "0",
            ResponseDescription: "Accept the service request successfully.",
          }),
          contentType: "application/json",
        },
      });
      expect(record(failureOf(await rig.gateway.b2cPayment(aPayoutRequest(rig.receiver)))).type).toBe(
        "outcome_unknown",
      );
    });

    it("is outcome_unknown for B2C's 'System internal error' (500.002.1001): the payout may have been made", async () => {
      const before = rig.simulator.stats().b2cRequests;
      rig.simulator.injectFault({
        api: "b2c_payment",
        afterProcessing: true,
        error: { status: 500, errorCode: "500.002.1001", errorMessage: "System internal error." },
      });
      const payout = aPayoutRequest(rig.receiver);
      expect(record(failureOf(await rig.gateway.b2cPayment(payout))).type).toBe("outcome_unknown");
      expect(rig.simulator.stats().b2cRequests).toBe(before + 1);
      await rig.receiver.waitFor(pathOf(payout.resultUrl));
    });

    it("is already_accepted for B2C's 'Duplicate OriginatorConversationID': an earlier request was taken", async () => {
      const payout = aPayoutRequest(rig.receiver);
      okValue(await rig.gateway.b2cPayment(payout));
      const failure = record(failureOf(await rig.gateway.b2cPayment(payout)));
      expect(failure.type).toBe("already_accepted");
      await rig.simulator.whenIdle();
      expect(rig.receiver.received(pathOf(payout.resultUrl))).toHaveLength(1);
    });
  });

  describe("a query whose answer does not come", () => {
    it("is unavailable: asking again later is harmless", async () => {
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(aPaybillPush(rig.receiver)));
      rig.simulator.injectFault({ api: "stk_query", delayMs: 800 });
      expect(record(failureOf(await queryOf(impatient, checkoutRequestId))).type).toBe("unavailable");
      expect(rig.simulator.stats().stkQueries[checkoutRequestId]).toBe(1);
    });

    it("is pending when the answer is not one it can read", async () => {
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(aPaybillPush(rig.receiver)));
      rig.simulator.injectFault({ api: "stk_query", rawBody: { status: 200, body: "OK" } });
      expect(okValue(await queryOf(rig.gateway, checkoutRequestId))).toEqual({ type: "pending" });
    });
  });

  it("is unavailable when Daraja cannot be reached at all: the push never left", async () => {
    const port = await closedPort();
    const unreachable = new DarajaGateway({
      baseUrl: `http://127.0.0.1:${port}`,
      consumerKey: "k",
      consumerSecret: "s",
      certificate: darajaCertificate("simulator"),
      clock: new SystemClock(),
      connectTimeoutMs: 500,
      requestTimeoutMs: 1_000,
    });
    try {
      const failure = record(failureOf(await unreachable.stkPush(aPaybillPush(rig.receiver))));
      expect(failure).toMatchObject({ type: "unavailable", retryAfterSeconds: 30 });
      expect(failure.message).toContain("no prompt was sent");
    } finally {
      await unreachable.close();
    }
  });

  describe("Daraja's definite refusals: nothing started", () => {
    it.each([
      ["Spike Arrest", { status: 500, errorCode: "500.003.02", errorMessage: "Spike Arrest Violation" }, 10],
      ["Quota", { status: 500, errorCode: "500.003.03", errorMessage: "Quota Violation" }, 60],
    ])("%s is rate_limited, with a time to wait", async (_what, error, seconds) => {
      rig.simulator.injectFault({ api: "stk_push", error });
      const failure = record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver))));
      expect(failure).toEqual({
        type: "rate_limited",
        retryAfterSeconds: seconds,
        message: `M-Pesa is receiving too many requests right now. Try again in ${seconds} seconds.`,
      });
    });

    it("'Merchant does not exist' is merchant_not_found, naming the shortcode", async () => {
      rig.simulator.injectFault({
        api: "stk_push",
        error: { status: 500, errorCode: "500.001.1001", errorMessage: "Merchant does not exist" },
      });
      const failure = record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver))));
      expect(failure.type).toBe("merchant_not_found");
      expect(failure.message).toContain("174379");
    });

    it.each([
      [{ status: 404, errorCode: "404.001.01", errorMessage: "Resource not found" }, "rejected"],
      [{ status: 405, errorCode: "405.001", errorMessage: "Method Not Allowed" }, "rejected"],
      [{ status: 400, errorCode: "400.003.02", errorMessage: "Bad Request" }, "rejected"],
      [{ status: 400, errorCode: "400.999.99", errorMessage: "Something new" }, "rejected"],
      [
        { status: 400, errorCode: "400.002.02", errorMessage: "Bad Request - Invalid Amount" },
        "invalid_field",
      ],
      [
        {
          status: 401,
          errorCode: "401.002.01",
          errorMessage: "Invalid API call as no apiproduct match found",
        },
        "invalid_credentials",
      ],
      [{ status: 500, errorCode: "500.001.1001", errorMessage: "Wrong credentials" }, "invalid_credentials"],
      [
        {
          status: 500,
          errorCode: "500.001.1001",
          errorMessage:
            "Unable to lock subscriber, a transaction is already in process for the current subscriber",
        },
        "subscriber_busy",
      ],
    ])("%o is %s", async (error, type) => {
      rig.simulator.injectFault({ api: "stk_push", error });
      const failure = record(failureOf(await rig.gateway.stkPush(aPaybillPush(rig.receiver))));
      expect(failure.type).toBe(type);
      expect(failure.message).not.toMatch(/may still/);
    });

    it("a query answered with a server error or an unknown error is still pending, never a failure", async () => {
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(aPaybillPush(rig.receiver)));
      rig.simulator.injectFault({
        api: "stk_query",
        error: { status: 500, errorCode: "500.001.1001", errorMessage: "Some new processing state" },
      });
      expect(okValue(await queryOf(rig.gateway, checkoutRequestId))).toEqual({ type: "pending" });
      rig.simulator.injectFault({
        api: "stk_query",
        error: { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" },
      });
      expect(okValue(await queryOf(rig.gateway, checkoutRequestId))).toEqual({ type: "pending" });
    });

    it("classifies by API, code and message", () => {
      const on = (operation: "stk_push" | "stk_query" | "b2c_payment") =>
        ({ operation, shortcode: "174379", ownApp: false }) as const;
      const classify = (
        operation: "stk_push" | "stk_query" | "b2c_payment",
        status: number,
        errorCode: string,
        errorMessage: string,
      ) => classifyDarajaError(status, { errorCode, errorMessage }, null, on(operation)).type;
      const processing = "The transaction is being processed";
      expect(classify("stk_query", 500, "500.001.1001", processing)).toBe("being_processed");
      expect(classify("stk_push", 500, "500.001.1001", processing)).toBe("ambiguous");
      const duplicate = "Duplicate OriginatorConversationID.";
      expect(classify("b2c_payment", 500, "500.002.1001", duplicate)).toBe("already_accepted");
      expect(classify("stk_push", 500, "500.002.1001", duplicate)).toBe("ambiguous");
      expect(classify("b2c_payment", 500, "500.002.1001", "System internal error.")).toBe("ambiguous");
      expect(classify("stk_push", 500, "500.003.1001", "Internal Server Error")).toBe("ambiguous");
      // A documented refusal message is a refusal only with its documented code (or any 4xx).
      expect(classify("stk_push", 500, "500.001.1001", "Merchant does not exist")).toBe("merchant_not_found");
      expect(classify("stk_push", 500, "500.003.1001", "Merchant does not exist")).toBe("ambiguous");
      expect(classify("stk_push", 503, "503.001.01", "System is busy")).toBe("ambiguous");
      expect(classify("stk_push", 500, "500.003.02", "anything")).toBe("rate_limited");
      expect(classify("b2c_payment", 400, "400.002.02", "Bad Request - Invalid SecurityCredential")).toBe(
        "invalid_credentials",
      );
    });

    it("honours a Retry-After header, and recognises an invalid token by its message whatever the code", () => {
      const context = { operation: "stk_push", shortcode: "174379", ownApp: false } as const;
      expect(
        classifyDarajaError(
          429,
          { errorCode: "500.003.02", errorMessage: "Spike Arrest Violation" },
          "45",
          context,
        ),
      ).toMatchObject({ type: "rate_limited", retryAfterSeconds: 45 });
      for (const [status, errorCode] of [
        [404, "404.001.03"],
        [400, "400.003.01"],
        [401, "401.002.01"],
        [404, "404.001.04"],
      ] as const) {
        expect(
          classifyDarajaError(status, { errorCode, errorMessage: "Invalid Access Token" }, null, context)
            .type,
        ).toBe("invalid_access_token");
      }
      expect(
        classifyDarajaError(
          500,
          { errorCode: "500.001.1001", errorMessage: "Invalid Access Token" },
          null,
          context,
        ).type,
      ).not.toBe("invalid_access_token");
    });
  });

  it("never puts a passkey, secret, password or token in a failure message", () => {
    expect(failures.length).toBeGreaterThan(8);
    const secrets = [
      aPaybillPush(rig.receiver).passkey,
      "payme-shared-secret",
      aPayoutRequest(rig.receiver).account.initiatorPassword,
      "Bearer",
    ];
    for (const failure of failures) {
      for (const secret of secrets) {
        expect(failure.message).not.toContain(secret);
      }
    }
  });

  it("tells an observer about every call and its outcome; an observer that throws changes nothing", async () => {
    const events: DarajaCallEvent[] = [];
    const observed = rig.gatewayWith({ observer: { onCall: (event) => events.push(event) } });
    okValue(await observed.stkPush(aPaybillPush(rig.receiver)));
    rig.simulator.injectFault({
      api: "stk_push",
      error: { status: 500, errorCode: "500.003.02", errorMessage: "Spike Arrest Violation" },
    });
    failureOf(await observed.stkPush(aPaybillPush(rig.receiver)));
    expect(events.map((event) => [event.operation, event.outcome])).toEqual([
      ["oauth", "ok"],
      ["stk_push", "ok"],
      ["stk_push", "rate_limited"],
    ]);
    expect(events.every((event) => event.durationMs >= 0)).toBe(true);

    const throwing = rig.gatewayWith({
      observer: {
        onCall: () => {
          throw new Error("metrics are down");
        },
      },
    });
    expect((await throwing.stkPush(aPaybillPush(rig.receiver))).ok).toBe(true);
  });
});
