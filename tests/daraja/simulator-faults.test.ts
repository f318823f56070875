import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aPaybillPush,
  aPayoutRequest,
  type DarajaRig,
  failureOf,
  okValue,
  pathOf,
  startRig,
} from "./daraja-test-kit.ts";

/**
 * The simulator's fault injection, as tests, drills and operators use it (README, "The simulator's faults"):
 * refusals that start nothing, 5xx answers and HTML pages after the request took effect (the ambiguous case),
 * and dropped, duplicated or delayed callbacks.
 */
describe("the simulator's faults", () => {
  let rig: DarajaRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  const inject = async (fault: unknown) => {
    const response = await request(`${rig.simulatorUrl}/__simulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(fault),
    });
    await response.body.dump();
    return response.statusCode;
  };
  const internalError = { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" };

  it("refuses with an error envelope before acting: no push is made, no callback comes", async () => {
    const before = rig.simulator.stats().stkPushes;
    expect(await inject({ api: "stk_push", error: internalError })).toBe(200);
    const push = aPaybillPush(rig.receiver);
    failureOf(await rig.gateway.stkPush(push));
    expect(rig.simulator.stats().stkPushes).toBe(before);
    await rig.simulator.whenIdle();
    expect(rig.receiver.received(pathOf(push.callbackUrl))).toHaveLength(0);
  });

  it("with afterProcessing, acts on the push first and then answers 5xx: the callback still comes", async () => {
    const before = rig.simulator.stats().stkPushes;
    expect(await inject({ api: "stk_push", afterProcessing: true, error: internalError })).toBe(200);
    const push = aPaybillPush(rig.receiver);
    expect(failureOf(await rig.gateway.stkPush(push)).type).toBe("outcome_unknown");
    expect(rig.simulator.stats().stkPushes).toBe(before + 1);
    const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
    expect(callback?.body).toMatchObject({ Body: { stkCallback: { ResultCode: 0 } } });
  });

  it("with afterProcessing on B2C, makes the payout and then answers 5xx: its result still comes", async () => {
    expect(
      await inject({
        api: "b2c_payment",
        afterProcessing: true,
        error: { status: 500, errorCode: "500.002.1001", errorMessage: "System internal error." },
      }),
    ).toBe(200);
    const payout = aPayoutRequest(rig.receiver);
    expect(failureOf(await rig.gateway.b2cPayment(payout)).type).toBe("outcome_unknown");
    expect(rig.simulator.payout(payout.originatorConversationId)).not.toBeNull();
    const [result] = await rig.receiver.waitFor(pathOf(payout.resultUrl));
    expect(result?.body).toMatchObject({ Result: { ResultCode: 0 } });
  });

  it("answers an HTML page after acting on the push", async () => {
    expect(
      await inject({
        api: "stk_push",
        rawBody: { status: 503, body: "<html><h1>503 Service Unavailable</h1>" },
      }),
    ).toBe(200);
    const push = aPaybillPush(rig.receiver);
    expect(failureOf(await rig.gateway.stkPush(push)).type).toBe("outcome_unknown");
    await rig.receiver.waitFor(pathOf(push.callbackUrl));
  });

  it("drops a push's callback: only STK Query knows it was paid", async () => {
    expect(await inject({ api: "stk_push", callback: { deliveries: 0 } })).toBe(200);
    const push = aPaybillPush(rig.receiver);
    const { checkoutRequestId } = okValue(await rig.gateway.stkPush(push));
    await rig.simulator.whenIdle();
    expect(rig.simulator.checkout(checkoutRequestId)).toMatchObject({ status: "settled", resultCode: "0" });
    expect(rig.receiver.received(pathOf(push.callbackUrl))).toHaveLength(0);
  });

  it("duplicates a push's callback, and a payout's result", async () => {
    expect(await inject({ api: "stk_push", callback: { deliveries: 2 } })).toBe(200);
    const push = aPaybillPush(rig.receiver);
    okValue(await rig.gateway.stkPush(push));
    expect(await rig.receiver.waitFor(pathOf(push.callbackUrl), 2)).toHaveLength(2);

    expect(await inject({ api: "b2c_payment", callback: { deliveries: 2 } })).toBe(200);
    const payout = aPayoutRequest(rig.receiver);
    okValue(await rig.gateway.b2cPayment(payout));
    expect(await rig.receiver.waitFor(pathOf(payout.resultUrl), 2)).toHaveLength(2);
  });

  it("delays a push's callback: a later push is answered first, and settling delivers the delayed one", async () => {
    expect(await inject({ api: "stk_push", callback: { delayMs: 600_000 } })).toBe(200);
    const delayed = aPaybillPush(rig.receiver);
    const { checkoutRequestId } = okValue(await rig.gateway.stkPush(delayed));
    const prompt = aPaybillPush(rig.receiver);
    okValue(await rig.gateway.stkPush(prompt));
    await rig.receiver.waitFor(pathOf(prompt.callbackUrl));
    expect(rig.simulator.checkout(checkoutRequestId)?.status).toBe("pending");
    expect(rig.receiver.received(pathOf(delayed.callbackUrl))).toHaveLength(0);

    await rig.simulator.settle(checkoutRequestId);
    expect(rig.receiver.received(pathOf(delayed.callbackUrl))).toHaveLength(1);
  });

  it("refuses a fault it does not understand", async () => {
    expect(await inject({ api: "stk_push", callback: { deliveries: -1 } })).toBe(400);
    expect(await inject({ api: "stk_push", afterProcessing: "yes" })).toBe(400);
  });
});
