import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseB2cResult } from "../../src/adapters/daraja/parse-b2c-result.ts";
import { parseStkCallback } from "../../src/adapters/daraja/parse-stk-callback.ts";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import { SIMULATOR_INITIATOR_WITHOUT_REVERSAL_ROLE } from "../../src/adapters/daraja-simulator/simulator-reversal-routes.ts";
import type { ReversalRequest } from "../../src/application/ports/payment-gateway.ts";
import { Kes } from "../../src/domain/kes.ts";
import { aPaybillPush, type DarajaRig, okValue, pathOf, phone, startRig } from "./daraja-test-kit.ts";

let sequence = 0;

describe("Reversal, through the DarajaGateway and the simulator", () => {
  let rig: DarajaRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  /** A paid STK push from `payer`; its receipt. */
  const paidReceipt = async (payer = "254712345678"): Promise<string> => {
    const push = aPaybillPush(rig.receiver, { phone: phone(payer) });
    okValue(await rig.gateway.stkPush(push));
    const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
    const parsed = okValue(parseStkCallback(callback?.body));
    if (parsed.mpesaReceipt === null) throw new Error("the push was not paid");
    return parsed.mpesaReceipt;
  };

  const aReversal = (receipt: string, overrides: Partial<ReversalRequest> = {}): ReversalRequest => {
    sequence += 1;
    const token = `reversal-${Date.now().toString(36)}-${sequence}`;
    return {
      account: {
        app: null,
        shortcode: "174379",
        initiatorName: SANDBOX_INITIATOR_NAME,
        initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
      },
      originatorConversationId: `payme-${token}`,
      receipt,
      amount: Kes.restore(100),
      remarks: "Refund",
      resultUrl: `${rig.receiver.url}/api/mpesa/reversal/result/${token}`,
      queueTimeoutUrl: `${rig.receiver.url}/api/mpesa/reversal/timeout/${token}`,
      ...overrides,
    };
  };

  const resultOf = async (reversal: ReversalRequest) => {
    const [callback] = await rig.receiver.waitFor(pathOf(reversal.resultUrl));
    return okValue(parseB2cResult(callback?.body));
  };

  it("reverses a paid receipt: accepted at once, then a result naming the reversal's own receipt; a second one is refused", async () => {
    const receipt = await paidReceipt();
    const first = aReversal(receipt);
    const accepted = okValue(await rig.gateway.reverse(first));
    expect(accepted.originatorConversationId).toBe(first.originatorConversationId);
    expect(accepted.conversationId).toMatch(/^AG_\d{8}_\w{20}$/);
    const result = await resultOf(first);
    expect(result).toMatchObject({
      resultCode: "0",
      originatorConversationId: first.originatorConversationId,
    });
    expect(result.transactionId).toMatch(/^[A-Z][A-Z0-9]{9}$/);
    expect(result.transactionId).not.toBe(receipt);
    expect(result.parameters.OriginalTransactionID).toBe(receipt);

    const again = aReversal(receipt);
    okValue(await rig.gateway.reverse(again));
    expect(await resultOf(again)).toMatchObject({ resultCode: "R000001" });
  });

  it("fails a receipt it never issued (R000002), an initiator without the reversal role (21) and a wrong password (2001)", async () => {
    const unknown = aReversal("QQQ0000000");
    okValue(await rig.gateway.reverse(unknown));
    expect(await resultOf(unknown)).toMatchObject({ resultCode: "R000002", receipt: null });

    const receipt = await paidReceipt();
    const noRole = aReversal(receipt, {
      account: {
        app: null,
        shortcode: "174379",
        initiatorName: SIMULATOR_INITIATOR_WITHOUT_REVERSAL_ROLE,
        initiatorPassword: "any",
      },
    });
    okValue(await rig.gateway.reverse(noRole));
    expect(await resultOf(noRole)).toMatchObject({ resultCode: "21" });

    const wrongPassword = aReversal(receipt, {
      account: {
        app: null,
        shortcode: "174379",
        initiatorName: SANDBOX_INITIATOR_NAME,
        initiatorPassword: "wrong",
      },
    });
    okValue(await rig.gateway.reverse(wrongPassword));
    expect(await resultOf(wrongPassword)).toMatchObject({ resultCode: "2001" });
  });

  it("times out in the queue for a payment from the queue-timeout phone; Transaction Status then says completed", async () => {
    const receipt = await paidReceipt(SIMULATOR_PHONES.queueTimeout);
    const reversal = aReversal(receipt);
    okValue(await rig.gateway.reverse(reversal));
    await rig.receiver.waitFor(pathOf(reversal.queueTimeoutUrl));
    const statusUrl = `${rig.receiver.url}/api/mpesa/reversal/status/result/status-${sequence}`;
    okValue(
      await rig.gateway.transactionStatus({
        account: reversal.account,
        originatorConversationId: reversal.originatorConversationId,
        resultUrl: statusUrl,
        queueTimeoutUrl: `${rig.receiver.url}/api/mpesa/reversal/status/timeout/status-${sequence}`,
      }),
    );
    const [callback] = await rig.receiver.waitFor(pathOf(statusUrl));
    const status = okValue(parseB2cResult(callback?.body));
    expect(status).toMatchObject({ resultCode: "0", transactionStatus: "Completed" });
    expect(status.receipt).toMatch(/^[A-Z][A-Z0-9]{9}$/);
    expect(status.parameters.OriginatorConversationID).toBe(reversal.originatorConversationId);
  });

  it("sends Daraja's Reversal fields, the credential encrypted, and refuses a malformed request with the field's name", async () => {
    const answer = await rig.simulator.app.request("/mpesa/reversal/v1/request", { method: "GET" });
    expect(answer.status).toBe(405);
    const bad = await rig.gateway.reverse(aReversal("UAB1234567", { resultUrl: "not a url" }));
    expect(bad.ok ? null : bad.error).toMatchObject({ type: "invalid_field", field: "ResultURL" });
  });
});
