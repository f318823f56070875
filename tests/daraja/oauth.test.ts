import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { darajaCertificate } from "../../src/adapters/daraja/daraja-certificate.ts";
import { DarajaGateway } from "../../src/adapters/daraja/daraja-gateway.ts";
import type { DarajaCallEvent } from "../../src/adapters/daraja/daraja-gateway-observer.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import {
  anApp,
  aPaybillPush,
  aPayoutRequest,
  type DarajaRig,
  failureOf,
  okValue,
  phone,
  startRig,
} from "./daraja-test-kit.ts";

const SHARED_KEY = "payme-shared-key";

describe("OAuth tokens", () => {
  let rig: DarajaRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  it("50 concurrent pushes cause exactly one OAuth request", async () => {
    rig = await startRig();
    const { receiver } = rig;
    const gateway = rig.gateway;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        gateway.stkPush(aPaybillPush(receiver, { phone: phone(`2547120000${String(i).padStart(2, "0")}`) })),
      ),
    );

    expect(results.every((result) => result.ok)).toBe(true);
    expect(rig.simulator.stats()).toMatchObject({
      oauthRequests: { [SHARED_KEY]: 1 },
      requests: { oauth: 1, stk_push: 50 },
      authorisedRequests: { [SHARED_KEY]: 50 },
    });
  });

  it("gives two businesses with their own Daraja apps one token each, apart from the shared app's", async () => {
    rig = await startRig();
    const { receiver, gateway } = rig;
    const duka = anApp("duka");
    const salon = anApp("salon");
    const pushes = [duka, salon, null].flatMap((app) =>
      Array.from({ length: 5 }, () => gateway.stkPush(aPaybillPush(receiver, { app }))),
    );
    const results = await Promise.all(pushes);
    expect(results.every((result) => result.ok)).toBe(true);

    // Later calls reuse the cached tokens.
    okValue(await gateway.stkPush(aPaybillPush(receiver, { app: duka })));
    const payout = aPayoutRequest(receiver);
    okValue(await gateway.b2cPayment({ ...payout, account: { ...payout.account, app: salon } }));

    expect(rig.simulator.stats()).toMatchObject({
      oauthRequests: { "duka-key": 1, "salon-key": 1, [SHARED_KEY]: 1 },
      authorisedRequests: { "duka-key": 6, "salon-key": 6, [SHARED_KEY]: 5 },
    });
  });

  it("refreshes a token ahead of its expiry, without a single refused call", async () => {
    const clock = new ManualClock(new Date("2026-03-01T09:00:00Z"));
    const events: DarajaCallEvent[] = [];
    rig = await startRig({
      simulator: { clock, tokenTtlSeconds: 3600 },
      gateway: { clock, tokenRefreshMarginMs: 120_000, observer: { onCall: (event) => events.push(event) } },
    });
    const { receiver, gateway, simulator } = rig;

    okValue(await gateway.stkPush(aPaybillPush(receiver)));
    clock.advance(3_400_000); // 56m40s: still well inside the token's life.
    okValue(await gateway.stkPush(aPaybillPush(receiver)));
    expect(simulator.stats().oauthRequests).toEqual({ [SHARED_KEY]: 1 });

    clock.advance(100_000); // 58m20s: within two minutes of expiry, so replaced before use.
    okValue(await gateway.stkPush(aPaybillPush(receiver)));
    expect(simulator.stats().oauthRequests).toEqual({ [SHARED_KEY]: 2 });

    clock.advance(3_600_000 * 5); // Hours later: the second token has long expired at the simulator too.
    okValue(await gateway.stkPush(aPaybillPush(receiver)));
    expect(simulator.stats().oauthRequests).toEqual({ [SHARED_KEY]: 3 });
    expect(events.filter((event) => event.retriedAfterInvalidToken)).toEqual([]);
    expect(events.filter((event) => event.operation === "oauth")).toHaveLength(3);
  });

  it("on 'Invalid Access Token' (a token Daraja expired early) refreshes once and sends the call once more", async () => {
    const simulatorClock = new ManualClock(new Date("2026-03-01T09:00:00Z"));
    const events: DarajaCallEvent[] = [];
    rig = await startRig({
      simulator: { clock: simulatorClock },
      gateway: { observer: { onCall: (event) => events.push(event) } },
    });
    const { receiver, gateway, simulator } = rig;

    okValue(await gateway.stkPush(aPaybillPush(receiver)));
    simulatorClock.advance(3_601_000); // Only Daraja's clock moves: the gateway still trusts its token.
    okValue(await gateway.stkPush(aPaybillPush(receiver)));

    expect(simulator.stats()).toMatchObject({
      oauthRequests: { [SHARED_KEY]: 2 },
      requests: { stk_push: 3 },
      stkPushes: 2,
    });
    expect(
      events.filter((event) => event.operation === "stk_push").map((e) => e.retriedAfterInvalidToken),
    ).toEqual([false, true]);
  });

  it("refreshes once whichever code the API uses for an invalid token (B2C 401.002.01, Transaction Status 400.003.01, STK Query 404.001.03)", async () => {
    rig = await startRig();
    const { receiver, gateway, simulator } = rig;
    const push = aPaybillPush(receiver);
    const { checkoutRequestId } = okValue(await gateway.stkPush(push));
    const payout = aPayoutRequest(receiver);

    simulator.revokeTokens();
    okValue(await gateway.b2cPayment(payout));
    simulator.revokeTokens();
    okValue(
      await gateway.transactionStatus({
        account: payout.account,
        originatorConversationId: payout.originatorConversationId,
        resultUrl: payout.resultUrl,
        queueTimeoutUrl: payout.queueTimeoutUrl,
      }),
    );
    simulator.revokeTokens();
    expect(
      (
        await gateway.stkQuery({
          app: null,
          businessShortCode: "174379",
          passkey: push.passkey,
          checkoutRequestId,
        })
      ).ok,
    ).toBe(true);

    expect(simulator.stats().oauthRequests).toEqual({ [SHARED_KEY]: 4 });
  });

  it("refreshes only once: a second 'Invalid Access Token' is a typed failure, with no third attempt", async () => {
    rig = await startRig();
    const { receiver, gateway, simulator } = rig;
    simulator.injectFault({
      api: "stk_push",
      times: 2,
      error: { status: 404, errorCode: "404.001.03", errorMessage: "Invalid Access Token" },
    });

    const failure = failureOf(await gateway.stkPush(aPaybillPush(receiver)));
    expect(failure.type).toBe("invalid_credentials");
    expect(simulator.stats()).toMatchObject({
      oauthRequests: { [SHARED_KEY]: 2 },
      requests: { stk_push: 2 },
    });
    expect(simulator.stats().stkPushes).toBe(0);
  });

  it("reports a wrong consumer key or secret as invalid credentials, and sends nothing", async () => {
    rig = await startRig({ simulator: { consumerKey: SHARED_KEY, consumerSecret: "the-right-secret" } });
    const { receiver, gateway, simulator } = rig;

    const failure = failureOf(await gateway.stkPush(aPaybillPush(receiver)));
    expect(failure.type).toBe("invalid_credentials");
    expect(failure.message).toContain("MPESA_CONSUMER_KEY");
    expect(failure.message).not.toContain("payme-shared-secret");
    expect(simulator.stats().requests.stk_push).toBe(0);

    const own = failureOf(await gateway.stkPush(aPaybillPush(receiver, { app: anApp("duka") })));
    expect(own.message).toContain("this business's own Daraja app");

    const right = rig.gatewayWith({ consumerSecret: "the-right-secret" });
    expect((await right.stkPush(aPaybillPush(receiver))).ok).toBe(true);
  });

  it("does not cache a failed token request: the next call asks again", async () => {
    rig = await startRig();
    const { receiver, gateway, simulator } = rig;
    simulator.injectFault({
      api: "oauth",
      error: { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" },
    });

    expect(failureOf(await gateway.stkPush(aPaybillPush(receiver))).type).toBe("unavailable");
    expect(simulator.stats().requests.stk_push).toBe(0);
    expect((await gateway.stkPush(aPaybillPush(receiver))).ok).toBe(true);
    expect(simulator.stats().requests.oauth).toBe(2);
  });

  it("accepts expires_in as a number as well as a string, and caches that token", async () => {
    const origin = "https://daraja.test";
    const agent = new MockAgent();
    agent.disableNetConnect();
    const daraja = agent.get(origin);
    daraja
      .intercept({ path: "/oauth/v1/generate?grant_type=client_credentials", method: "GET" })
      .reply(200, { access_token: "NumericExpiryToken", expires_in: 3599 })
      .times(1);
    let authorisations: string[] = [];
    daraja
      .intercept({ path: "/mpesa/stkpush/v1/processrequest", method: "POST" })
      .reply(200, (request) => {
        const headers = request.headers as Record<string, string>;
        authorisations = [...authorisations, headers.authorization ?? ""];
        return {
          MerchantRequestID: "1-2-3",
          CheckoutRequestID: "ws_CO_1",
          ResponseCode: "0",
          ResponseDescription: "Success. Request accepted for processing",
        };
      })
      .times(2);
    const gateway = new DarajaGateway({
      baseUrl: origin,
      consumerKey: "k",
      consumerSecret: "s",
      certificate: darajaCertificate("sandbox"),
      clock: new ManualClock(),
      dispatcher: agent,
    });
    const receiver = { url: "https://payme.test" } as Parameters<typeof aPaybillPush>[0];

    expect(okValue(await gateway.stkPush(aPaybillPush(receiver)))).toEqual({
      checkoutRequestId: "ws_CO_1",
      merchantRequestId: "1-2-3",
    });
    okValue(await gateway.stkPush(aPaybillPush(receiver)));
    expect(authorisations).toEqual(["Bearer NumericExpiryToken", "Bearer NumericExpiryToken"]);
    await agent.close();
  });
});
