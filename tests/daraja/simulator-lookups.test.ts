import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseAccountBalanceResult,
  parseTransactionStatusResult,
} from "../../src/adapters/daraja/parse-lookup-result.ts";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
  SANDBOX_SHORTCODE,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import type { B2cAccount } from "../../src/application/ports/payment-gateway.ts";
import { Kes } from "../../src/domain/kes.ts";
import {
  aPaybillPush,
  aPayoutRequest,
  aTillPush,
  type DarajaRig,
  okValue,
  phone,
  startRig,
} from "./daraja-test-kit.ts";

let rig: DarajaRig;
let sequence = 0;

beforeAll(async () => {
  rig = await startRig();
});

afterAll(async () => {
  await rig.close();
});

const account = (shortcode: string, password = SANDBOX_INITIATOR_PASSWORD): B2cAccount => ({
  app: null,
  shortcode,
  initiatorName: SANDBOX_INITIATOR_NAME,
  initiatorPassword: password,
});

/** Asks the simulator for a shortcode's balance, and reads the result its callback brings. */
async function balanceOf(shortcode: string, password?: string) {
  sequence += 1;
  const path = `/api/mpesa/balance/result/b${sequence}`;
  okValue(
    await rig.gateway.accountBalance({
      account: account(shortcode, password),
      resultUrl: `${rig.receiver.url}${path}`,
      queueTimeoutUrl: `${rig.receiver.url}/api/mpesa/balance/timeout/b${sequence}`,
    }),
  );
  const [callback] = await rig.receiver.waitFor(path);
  return okValue(parseAccountBalanceResult(callback?.body));
}

const utility = async (shortcode: string) => {
  const outcome = await balanceOf(shortcode);
  if (outcome.type !== "balance") {
    throw new Error(`expected a balance, got ${JSON.stringify(outcome)}`);
  }
  return outcome.accounts.find((a) => a.name === "Utility Account")?.available;
};

/** Asks Transaction Status about a receipt from a shortcode, and reads the result. */
async function statusOf(receipt: string, shortcode: string) {
  sequence += 1;
  const path = `/api/mpesa/status/result/s${sequence}`;
  okValue(
    await rig.gateway.transactionStatus({
      account: account(shortcode),
      originatorConversationId: `look-${sequence}`,
      transactionId: receipt,
      resultUrl: `${rig.receiver.url}${path}`,
      queueTimeoutUrl: `${rig.receiver.url}/api/mpesa/status/timeout/s${sequence}`,
    }),
  );
  const [callback] = await rig.receiver.waitFor(path);
  return okValue(parseTransactionStatusResult(callback?.body));
}

/** A paid STK push, settled now; answers its receipt. */
async function paidPush(push: ReturnType<typeof aPaybillPush>): Promise<string> {
  const accepted = okValue(await rig.gateway.stkPush(push));
  const settled = await rig.simulator.settle(accepted.checkoutRequestId);
  return String(settled?.receipt);
}

describe("the simulator's Account Balance and Transaction Status", () => {
  it("moves each shortcode's balance with its paid pushes and its payouts, and no other's", async () => {
    const before = Number(await utility(SANDBOX_SHORTCODE));
    await paidPush(aPaybillPush(rig.receiver, { amount: okValue(Kes.forPush(700)) }));
    // A till's push credits its store number, the organisation.
    await paidPush(aTillPush(rig.receiver, { amount: okValue(Kes.forPush(40)) }));
    // A cancelled push moves nothing.
    const cancelled = okValue(
      await rig.gateway.stkPush(aPaybillPush(rig.receiver, { phone: phone("254700000001") })),
    );
    expect(await rig.simulator.settle(cancelled.checkoutRequestId)).toMatchObject({ receipt: null });
    expect(await utility(SANDBOX_SHORTCODE)).toBe((before + 700).toFixed(2));
    expect(await utility("300584")).toBe("40.00");

    const payout = aPayoutRequest(rig.receiver, {
      account: account(SANDBOX_SHORTCODE),
      amount: okValue(Kes.forPayout(250)),
    });
    okValue(await rig.gateway.b2cPayment(payout));
    await rig.receiver.waitFor(new URL(payout.resultUrl).pathname);
    expect(await utility(SANDBOX_SHORTCODE)).toBe((before + 700 - 250).toFixed(2));
    // A failed payout (insufficient funds, by its phone) moves nothing.
    const refused = aPayoutRequest(rig.receiver, {
      account: account(SANDBOX_SHORTCODE),
      phone: phone("254700000002"),
    });
    okValue(await rig.gateway.b2cPayment(refused));
    await rig.receiver.waitFor(new URL(refused.resultUrl).pathname);
    expect(await utility(SANDBOX_SHORTCODE)).toBe((before + 700 - 250).toFixed(2));
    expect(await utility("600993")).toBe("0.00");
  });

  it("answers a paid push's receipt with its own data, only from its own shortcode; an unknown receipt fails with 2032", async () => {
    const receipt = await paidPush(aPaybillPush(rig.receiver, { amount: okValue(Kes.forPush(130)) }));
    expect(await statusOf(receipt, SANDBOX_SHORTCODE)).toMatchObject({
      type: "transaction",
      transaction: {
        receipt,
        status: "Completed",
        amount: 130,
        debitParty: "254712345678 - SIMULATED CUSTOMER",
        creditParty: `${SANDBOX_SHORTCODE} - Simulated Shop`,
        reasonType: "Pay Bill Online",
      },
    });
    expect(await statusOf(receipt, "600993")).toMatchObject({ type: "failed", resultCode: "2032" });
    expect(await statusOf("QQQ0NOTHERE", SANDBOX_SHORTCODE)).toMatchObject({
      type: "failed",
      resultCode: "2032",
    });
  });

  it("refuses an initiator whose credential does not check out with 2001, as the real capture does", async () => {
    expect(await balanceOf(SANDBOX_SHORTCODE, "wrong-password")).toEqual({
      type: "failed",
      resultCode: "2001",
      reason: "The initiator information is invalid.",
    });
  });

  it("sends a queue timeout instead of the result when a fault says so", async () => {
    rig.simulator.injectFault({ api: "account_balance", callback: { queueTimeout: true } });
    sequence += 1;
    const timeoutPath = `/api/mpesa/balance/timeout/t${sequence}`;
    okValue(
      await rig.gateway.accountBalance({
        account: account(SANDBOX_SHORTCODE),
        resultUrl: `${rig.receiver.url}/api/mpesa/balance/result/t${sequence}`,
        queueTimeoutUrl: `${rig.receiver.url}${timeoutPath}`,
      }),
    );
    const [timeout] = await rig.receiver.waitFor(timeoutPath);
    expect(timeout?.body).toMatchObject({ Result: { ResultCode: 1 } });
    expect(rig.receiver.received(`/api/mpesa/balance/result/t${sequence}`)).toEqual([]);
  });

  it("checks an Account Balance request's fields as Daraja does", async () => {
    const refused = await rig.gateway.accountBalance({
      account: account("12"),
      resultUrl: `${rig.receiver.url}/api/mpesa/balance/result/x`,
      queueTimeoutUrl: `${rig.receiver.url}/api/mpesa/balance/timeout/x`,
    });
    expect(refused).toMatchObject({ ok: false, error: { type: "invalid_field", field: "PartyA" } });
  });
});
