import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStkCallback } from "../../src/adapters/daraja/parse-stk-callback.ts";
import {
  DEVELOPMENT_WALLET_PASSKEY,
  DEVELOPMENT_WALLET_SHORTCODE,
  SANDBOX_PASSKEY,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import type { StkPushRequest } from "../../src/application/ports/payment-gateway.ts";
import { Kes } from "../../src/domain/kes.ts";
import { Msisdn } from "../../src/domain/msisdn.ts";
import {
  aPaybillPush,
  aTillPush,
  type DarajaRig,
  failureOf,
  okValue,
  pathOf,
  phone,
  startRig,
  TEST_DELAY_MS,
} from "./daraja-test-kit.ts";

const decode = (base64: unknown) => Buffer.from(String(base64), "base64").toString("utf8");

describe("STK push through the gateway, against the simulator over HTTP", () => {
  let rig: DarajaRig;
  beforeAll(async () => {
    rig = await startRig({ simulator: { passkeys: { "888880": "business-passkey-888880" } } });
  });
  afterAll(() => rig.close());

  const lastPushBody = () => rig.simulator.stkPushBodies().at(-1) ?? {};
  const queryOf = (push: StkPushRequest, checkoutRequestId: string) =>
    rig.gateway.stkQuery({
      app: push.app,
      businessShortCode: push.businessShortCode,
      passkey: push.passkey,
      checkoutRequestId,
    });

  it("sends a paybill push as CustomerPayBillOnline with the paybill as PartyB, and the payment comes back paid", async () => {
    const push = aPaybillPush(rig.receiver);
    const accepted = okValue(await rig.gateway.stkPush(push));

    expect(accepted.checkoutRequestId).toMatch(/^ws_CO_\d{17}712345678$/);
    expect(accepted.merchantRequestId).not.toBeNull();
    expect(lastPushBody()).toMatchObject({
      BusinessShortCode: "174379",
      TransactionType: "CustomerPayBillOnline",
      PartyB: "174379",
      PartyA: "254712345678",
      PhoneNumber: "254712345678",
      Amount: 100,
      CallBackURL: push.callbackUrl,
      AccountReference: "INV001",
    });

    const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
    const parsed = okValue(parseStkCallback(callback?.body));
    expect(parsed).toMatchObject({
      checkoutRequestId: accepted.checkoutRequestId,
      resultCode: "0",
      amount: 100,
      phone: "254712345678",
    });
    expect(parsed.mpesaReceipt).toMatch(/^[A-Z][A-Z0-9]{9}$/);
    expect(parsed.transactionDate).toMatch(/^20\d{12}$/);
    expect(callback?.text).toContain('{"Name":"Balance"}');
    expect(okValue(await queryOf(push, accepted.checkoutRequestId))).toEqual({ type: "paid" });
  });

  it("sends a till push as CustomerBuyGoodsOnline: the till as PartyB, the store number as BusinessShortCode and inside the password", async () => {
    const push = aTillPush(rig.receiver);
    const accepted = okValue(await rig.gateway.stkPush(push));

    const body = lastPushBody();
    expect(body).toMatchObject({
      TransactionType: "CustomerBuyGoodsOnline",
      BusinessShortCode: "300584",
      PartyB: "5123456",
      AccountReference: "MamaMboga",
    });
    expect(decode(body.Password)).toBe(`300584store-passkey-300584${String(body.Timestamp)}`);
    expect(decode(body.Password)).not.toContain("5123456");
    const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
    expect(okValue(parseStkCallback(callback?.body)).resultCode).toBe("0");
    expect(rig.simulator.checkout(accepted.checkoutRequestId)).toMatchObject({
      transactionType: "CustomerBuyGoodsOnline",
      businessShortCode: "300584",
      partyB: "5123456",
    });
  });

  it("has the simulator refuse a paybill push whose PartyB is not the paybill, as Daraja refuses a till sent as a paybill", async () => {
    const push = aPaybillPush(rig.receiver, { partyB: "5123456" });
    const failure = failureOf(await rig.gateway.stkPush(push));
    expect(failure).toMatchObject({ type: "invalid_field", field: "PartyB" });
    expect(failure.message).toContain("till or paybill number");
  });

  it("cuts AccountReference to 12 and TransactionDesc to 13 characters, and never sends an empty description", async () => {
    okValue(
      await rig.gateway.stkPush(
        aPaybillPush(rig.receiver, {
          accountReference: "ABCDEFGHIJKLMNOP",
          description: "Two bags of maize flour",
        }),
      ),
    );
    expect(lastPushBody()).toMatchObject({
      AccountReference: "ABCDEFGHIJKL",
      TransactionDesc: "Two bags of m",
    });

    okValue(await rig.gateway.stkPush(aPaybillPush(rig.receiver, { description: "   " })));
    expect(lastPushBody().TransactionDesc).toBe("Payment");
  });

  it("builds the password from the shortcode, the passkey and the body's own timestamp", async () => {
    okValue(await rig.gateway.stkPush(aPaybillPush(rig.receiver)));
    const body = lastPushBody();
    expect(body.Timestamp).toMatch(/^\d{14}$/);
    expect(decode(body.Password)).toBe(`174379${SANDBOX_PASSKEY}${String(body.Timestamp)}`);
  });

  it("gets a typed invalid_credentials failure, not a crash, for a wrong passkey on a shortcode the simulator knows", async () => {
    for (const [shortcode, passkey] of [
      ["174379", SANDBOX_PASSKEY],
      [DEVELOPMENT_WALLET_SHORTCODE, DEVELOPMENT_WALLET_PASSKEY],
      ["888880", "business-passkey-888880"],
    ] as const) {
      const base = { businessShortCode: shortcode, partyB: shortcode };
      okValue(await rig.gateway.stkPush(aPaybillPush(rig.receiver, { ...base, passkey })));

      const failure = failureOf(
        await rig.gateway.stkPush(aPaybillPush(rig.receiver, { ...base, passkey: "wrong" })),
      );
      expect(failure.type).toBe("invalid_credentials");
      expect(failure.message).toContain(shortcode);
      expect(failure.message).not.toContain(passkey);
    }
  });

  it("accepts any passkey for a shortcode the simulator does not know", async () => {
    const push = aPaybillPush(rig.receiver, {
      businessShortCode: "777001",
      partyB: "777001",
      passkey: "anything",
    });
    expect((await rig.gateway.stkPush(push)).ok).toBe(true);
  });

  it("names the field Daraja refuses, in words a cashier understands", async () => {
    const badPhone = aPaybillPush(rig.receiver, { phone: Msisdn.restore("25471234") });
    const failure = failureOf(await rig.gateway.stkPush(badPhone));
    expect(failure).toMatchObject({ type: "invalid_field", field: "PartyA" });
    expect(failure.message).toBe(
      "M-Pesa rejected the phone number. Check that it is a Safaricom M-Pesa number.",
    );

    const tooMuch = aPaybillPush(rig.receiver, { amount: Kes.restore(250_001) });
    expect(failureOf(await rig.gateway.stkPush(tooMuch))).toMatchObject({
      type: "invalid_field",
      field: "Amount",
    });
  });

  describe("the outcome table, by phone number", () => {
    it.each([
      ["cancelled by the user", SIMULATOR_PHONES.cancelled, "1032"],
      ["insufficient balance", SIMULATOR_PHONES.insufficientFunds, "1"],
      ["user unreachable", SIMULATOR_PHONES.unreachable, "1037"],
      ["wrong PIN", SIMULATOR_PHONES.wrongPin, "2001"],
    ])("%s (%s): callback and query both say %s", async (_what, number, code) => {
      const push = aPaybillPush(rig.receiver, { phone: phone(number) });
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(push));

      const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
      expect(okValue(parseStkCallback(callback?.body))).toMatchObject({
        checkoutRequestId,
        resultCode: code,
        amount: null,
        mpesaReceipt: null,
      });
      expect(okValue(await queryOf(push, checkoutRequestId))).toMatchObject({
        type: "unsuccessful",
        resultCode: code,
      });
    });

    it("any other phone: paid with a fresh receipt each time, the Amount written as 100 or as 100.00", async () => {
      const receipts = new Set<string | null>();
      const amounts: string[] = [];
      for (const number of ["254722000001", "254110123456"]) {
        const push = aPaybillPush(rig.receiver, { phone: phone(number) });
        okValue(await rig.gateway.stkPush(push));
        const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
        const parsed = okValue(parseStkCallback(callback?.body));
        expect(parsed).toMatchObject({ resultCode: "0", phone: number, amount: 100 });
        receipts.add(parsed.mpesaReceipt);
        amounts.push(/"Name":"Amount","Value":([\d.]+)/.exec(callback?.text ?? "")?.[1] ?? "");
      }
      expect(receipts.size).toBe(2);
      expect(amounts.sort()).toEqual(["100", "100.00"]);
    });

    it(`${SIMULATOR_PHONES.callbackNeverSent}: paid, but no callback ever comes; only the query knows`, async () => {
      const push = aPaybillPush(rig.receiver, { phone: phone(SIMULATOR_PHONES.callbackNeverSent) });
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(push));
      await rig.simulator.whenIdle();

      expect(rig.simulator.checkout(checkoutRequestId)).toMatchObject({ status: "settled", resultCode: "0" });
      expect(rig.receiver.received(pathOf(push.callbackUrl))).toHaveLength(0);
      expect(okValue(await queryOf(push, checkoutRequestId))).toEqual({ type: "paid" });
    });

    it(`${SIMULATOR_PHONES.duplicateCallbacks}: paid, and the same callback is delivered three times`, async () => {
      const push = aPaybillPush(rig.receiver, { phone: phone(SIMULATOR_PHONES.duplicateCallbacks) });
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(push));

      const callbacks = await rig.receiver.waitFor(pathOf(push.callbackUrl), 3);
      const parsed = callbacks.map((callback) => okValue(parseStkCallback(callback.body)));
      expect(new Set(parsed.map((p) => p.mpesaReceipt)).size).toBe(1);
      expect(parsed.every((p) => p.checkoutRequestId === checkoutRequestId && p.resultCode === "0")).toBe(
        true,
      );
    });

    it(`${SIMULATOR_PHONES.subscriberBusy}: refused at once as subscriber busy, with a message for the cashier`, async () => {
      const push = aPaybillPush(rig.receiver, { phone: phone(SIMULATOR_PHONES.subscriberBusy) });
      expect(failureOf(await rig.gateway.stkPush(push))).toEqual({
        type: "subscriber_busy",
        message:
          "The customer's phone already has an M-Pesa prompt open. Ask them to finish or cancel it, then try again in a minute.",
      });
    });
  });

  describe("STK Query", () => {
    it("answers pending while Daraja says 'being processed', then the outcome once settled", async () => {
      rig.simulator.setDelayMs(60_000);
      try {
        const push = aPaybillPush(rig.receiver, { phone: phone(SIMULATOR_PHONES.cancelled) });
        const { checkoutRequestId } = okValue(await rig.gateway.stkPush(push));
        expect(okValue(await queryOf(push, checkoutRequestId))).toEqual({ type: "pending" });
        expect(okValue(await queryOf(push, checkoutRequestId))).toEqual({ type: "pending" });

        await rig.simulator.settle(checkoutRequestId);
        expect(okValue(await queryOf(push, checkoutRequestId))).toEqual({
          type: "unsuccessful",
          resultCode: "1032",
          description: "Request Cancelled by user.",
        });
        expect(rig.simulator.stats().stkQueries[checkoutRequestId]).toBe(3);
      } finally {
        rig.simulator.setDelayMs(TEST_DELAY_MS);
      }
    });

    it("treats a ResultCode it does not know (4999) as pending, not as a failure", async () => {
      const push = aPaybillPush(rig.receiver);
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(push));
      rig.simulator.injectFault({
        api: "stk_query",
        rawBody: {
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({
            ResultCode: "4999",
            ResultDesc: "The transaction is still under processing",
          }),
        },
      });
      expect(okValue(await queryOf(push, checkoutRequestId))).toEqual({ type: "pending" });
    });

    it("reports a wrong passkey on the query as invalid credentials", async () => {
      const push = aPaybillPush(rig.receiver);
      const { checkoutRequestId } = okValue(await rig.gateway.stkPush(push));
      const failure = failureOf(await queryOf({ ...push, passkey: "wrong" }, checkoutRequestId));
      expect(failure.type).toBe("invalid_credentials");
    });
  });
});
