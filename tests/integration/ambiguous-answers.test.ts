import { describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { QueryPendingPayouts } from "../../src/application/payouts/query-pending-payouts.ts";
import { CheckPendingPayments } from "../../src/application/stk/check-pending-payments.ts";
import { ExpireStalePayments } from "../../src/application/stk/expire-stale-payments.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import {
  eventually,
  payMeSuite,
  startPayMe,
  startSimulator,
  verifiedConfig,
} from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

type Json = Record<string, unknown>;
type Payment = {
  id: string;
  status: string;
  pushOutcome: string;
  checkoutRequestId: string | null;
  needsAttention: boolean;
  attentionKind?: string;
  attentionReason?: string;
  failureReason?: string;
  mpesaReceipt?: string;
  stockState?: string;
} & Json;

/** A 5xx in Daraja's envelope that Daraja does not document as a refusal: it may have acted on the request. */
const INTERNAL_ERROR = { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" };

function successCallback(checkoutRequestId: string, amount: number, phone: string, receipt: string) {
  return {
    Body: {
      stkCallback: {
        MerchantRequestID: "29115-34620561-1",
        CheckoutRequestID: checkoutRequestId,
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        CallbackMetadata: {
          Item: [
            { Name: "Amount", Value: amount },
            { Name: "MpesaReceiptNumber", Value: receipt },
            { Name: "TransactionDate", Value: 20260301101500 },
            { Name: "PhoneNumber", Value: Number(phone) },
          ],
        },
      },
    },
  };
}

/**
 * "Where money may have moved, never say it did not": an answer from Daraja that is not a definite refusal leaves
 * the payment pending (pushOutcome unknown, 202), and the callback that follows settles it. On PostgreSQL and on
 * embedded PGlite.
 */
describe.each(testDatabaseKinds())("ambiguous answers from Daraja, on %s", (kind) => {
  const suite = payMeSuite({ delayMs: 50, database: kind });

  const shop = async (shortcode: string) => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Duka" });
    await verifiedConfig(suite.payme, owner.token, {
      paymentMethod: "till",
      shortcode,
      passkey: `pk-${shortcode}`,
      accountName: "Duka",
    });
    return owner;
  };
  const post = (token: string, path: string, body: Json) =>
    suite.payme.app.request(path, jsonRequest("POST", body, token));
  const get = async <T>(token: string, path: string): Promise<T> =>
    (await (await suite.payme.app.request(path, bearer(token))).json()) as T;
  const addProduct = async (token: string, businessId: string, stock: number) =>
    (
      (await (
        await post(token, `/api/businesses/${businessId}/products`, { name: "Soap", price: 50, stock })
      ).json()) as {
        product: { id: string };
      }
    ).product.id;
  const stockOf = async (token: string, businessId: string, productId: string) =>
    (
      await get<{ products: { id: string; stock: number; reserved: number }[] }>(
        token,
        `/api/businesses/${businessId}/products`,
      )
    ).products.find((p) => p.id === productId);
  const saleOf = async (token: string, id: string) =>
    (await get<{ sale: Payment }>(token, `/api/sales/${id}`)).sale;
  const sell = async (owner: { token: string; businessId: string }, productId: string, phone: string) =>
    post(owner.token, "/api/sales/payment", {
      businessId: owner.businessId,
      phone,
      items: [{ productId, quantity: 2 }],
    });
  /** The CallBackURL (with its secret token) PayMe sent for the push to this phone, as the simulator got it. */
  const callbackUrlSentFor = (phone: string) => {
    const bodies = suite.simulator.stkPushBodies().filter((body) => body.PhoneNumber === phone);
    const url = bodies.at(-1)?.CallBackURL;
    if (typeof url !== "string") {
      throw new Error(`no push to ${phone}`);
    }
    return url;
  };
  const deliver = (url: string, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it("a sale whose push Daraja processed but answered 500 is 202 pending (pushOutcome unknown); its callback makes it paid and commits the stock", async () => {
    const owner = await shop("5400001");
    const soap = await addProduct(owner.token, owner.businessId, 5);
    suite.simulator.injectFault({ api: "stk_push", afterProcessing: true, error: INTERNAL_ERROR });

    const answer = await sell(owner, soap, "0712000001");
    expect(answer.status).toBe(202);
    const { sale } = (await answer.json()) as { sale: Payment };
    expect(sale).toMatchObject({
      status: "pending",
      pushOutcome: "unknown",
      checkoutRequestId: null,
      stockState: "reserved",
      needsAttention: false,
    });
    expect(await stockOf(owner.token, owner.businessId, soap)).toMatchObject({ stock: 3, reserved: 2 });

    const paid = await eventually(async () => {
      const current = await saleOf(owner.token, sale.id);
      return current.status === "pending" ? undefined : current;
    });
    expect(paid).toMatchObject({ status: "paid", stockState: "committed", needsAttention: false });
    expect(paid.checkoutRequestId).toMatch(/^ws_CO_/);
    expect(paid.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    expect(await stockOf(owner.token, owner.businessId, soap)).toMatchObject({ stock: 3, reserved: 0 });
    const audit = await resolve(suite.payme.container, PORTS.unitOfWork).run((r) =>
      r.callbackAudit.listByPayment(`sale:${sale.id}`),
    );
    expect(audit.map((record) => [record.trusted, record.disposition])).toEqual([[true, "applied"]]);
  });

  it("a wallet purchase answered with an HTML page stays pending, and its callback credits the tokens once", async () => {
    const buyer = await signUpThroughApi(suite.payme.app);
    suite.simulator.injectFault({
      api: "stk_push",
      rawBody: { status: 502, body: "<html><body>Bad Gateway</body></html>" },
    });
    const answer = await post(buyer.token, "/api/wallet-payment/initiate", {
      phone: "0712000002",
      amount: 35,
    });
    expect(answer.status).toBe(202);
    const { purchase } = (await answer.json()) as { purchase: Payment };
    expect(purchase).toMatchObject({ status: "pending", pushOutcome: "unknown" });
    await eventually(async () => {
      const current = (await get<{ purchase: Payment }>(buyer.token, `/api/wallet-payment/${purchase.id}`))
        .purchase;
      return current.status === "paid" ? current : undefined;
    });
    expect((await get<{ balance: number }>(buyer.token, "/api/wallet")).balance).toBe(35);
  });

  it("a verification push answered ambiguously is 202 pending; a definite refusal is the problem, stored failed (refused)", async () => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Verify Ltd" });
    const setUp = await post(owner.token, "/api/payment-config/setup", {
      paymentMethod: "till",
      shortcode: "5400003",
      passkey: "pk-verify",
      accountName: "Verify",
    });
    expect(setUp.status).toBe(201);
    const verify = () =>
      post(owner.token, "/api/payment-config/verify", { businessId: owner.businessId, phone: "0712000003" });
    const configOf = async () =>
      (
        await get<{ config: { verified: boolean; lastVerification: Payment | null } }>(
          owner.token,
          `/api/payment-config?businessId=${owner.businessId}`,
        )
      ).config;

    suite.simulator.injectFault({
      api: "stk_push",
      error: { status: 400, errorCode: "400.002.02", errorMessage: "Bad Request - Invalid PhoneNumber" },
    });
    const refused = await verify();
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as Json).code).toBe("gateway_rejected");
    expect((await configOf()).lastVerification).toMatchObject({ status: "failed", pushOutcome: "refused" });

    suite.simulator.injectFault({ api: "stk_push", afterProcessing: true, error: INTERNAL_ERROR });
    const unclear = await verify();
    expect(unclear.status).toBe(202);
    expect(((await unclear.json()) as { verification: Payment }).verification).toMatchObject({
      status: "pending",
      pushOutcome: "unknown",
    });
    const verified = await eventually(async () => {
      const config = await configOf();
      return config.verified ? config : undefined;
    });
    expect(verified.lastVerification).toMatchObject({ status: "paid", pushOutcome: "unknown" });
  });

  it("a push refused at once (busy phone) fails the sale; when M-Pesa then reports it paid, it is paid, flagged, and takes its stock again", async () => {
    const owner = await shop("5400004");
    const soap = await addProduct(owner.token, owner.businessId, 5);
    const busy = await sell(owner, soap, SIMULATOR_PHONES.subscriberBusy);
    expect(busy.status).toBe(409);
    const { sales } = await get<{ sales: Payment[] }>(
      owner.token,
      `/api/businesses/${owner.businessId}/sales?status=failed`,
    );
    const failed = sales[0];
    expect(failed).toMatchObject({ status: "failed", pushOutcome: "refused", stockState: "released" });
    expect(await stockOf(owner.token, owner.businessId, soap)).toMatchObject({ stock: 5, reserved: 0 });

    // Against all odds, M-Pesa calls back with a success on the sale's own callback URL.
    const url = callbackUrlSentFor(SIMULATOR_PHONES.subscriberBusy);
    expect(
      (
        await deliver(
          url,
          successCallback("ws_CO_late_success", 100, SIMULATOR_PHONES.subscriberBusy, "LATE000001"),
        )
      ).status,
    ).toBe(200);
    const paid = await saleOf(owner.token, failed?.id ?? "");
    expect(paid).toMatchObject({
      status: "paid",
      pushOutcome: "refused",
      stockState: "committed",
      needsAttention: true,
      attentionKind: "informational",
      mpesaReceipt: "LATE000001",
    });
    expect(paid.attentionReason).toMatch(/paid after it was recorded as failed/);
    expect(await stockOf(owner.token, owner.businessId, soap)).toMatchObject({ stock: 3, reserved: 0 });
  });

  it("a failure M-Pesa reported stays final: a later success changes nothing but a blocking flag, and is audited", async () => {
    const owner = await shop("5400005");
    const soap = await addProduct(owner.token, owner.businessId, 5);
    const answer = await sell(owner, soap, SIMULATOR_PHONES.unreachable);
    const { sale } = (await answer.json()) as { sale: Payment };
    const failed = await eventually(async () => {
      const current = await saleOf(owner.token, sale.id);
      return current.status === "failed" ? current : undefined;
    });
    expect(failed).toMatchObject({ resultCode: "1037", pushOutcome: "accepted", stockState: "released" });

    const url = callbackUrlSentFor(SIMULATOR_PHONES.unreachable);
    await deliver(
      url,
      successCallback(failed.checkoutRequestId ?? "", 100, SIMULATOR_PHONES.unreachable, "CONFLICT01"),
    );
    const flagged = await saleOf(owner.token, sale.id);
    expect(flagged).toMatchObject({
      status: "failed",
      stockState: "released",
      needsAttention: true,
      attentionKind: "blocking",
    });
    expect(flagged.mpesaReceipt).toBeUndefined();
    expect(await stockOf(owner.token, owner.businessId, soap)).toMatchObject({ stock: 5, reserved: 0 });
    const audit = await resolve(suite.payme.container, PORTS.unitOfWork).run((r) =>
      r.callbackAudit.listByPayment(`sale:${sale.id}`),
    );
    expect(audit.map((record) => record.disposition)).toEqual(["applied", "flagged"]);
  });

  it("leaves a sale stored failed before push outcomes were kept as it is", async () => {
    const owner = await shop("5400006");
    const soap = await addProduct(owner.token, owner.businessId, 5);
    expect((await sell(owner, soap, SIMULATOR_PHONES.subscriberBusy)).status).toBe(409);
    const url = callbackUrlSentFor(SIMULATOR_PHONES.subscriberBusy);
    const { sales } = await get<{ sales: Payment[] }>(
      owner.token,
      `/api/businesses/${owner.businessId}/sales`,
    );
    const id = sales[0]?.id ?? "";
    await suite.database.orm.em
      .fork()
      .getConnection()
      .execute(`update "sales" set "push_outcome" = null where "id" = ?`, [id]);

    await deliver(url, successCallback("ws_CO_legacy", 100, SIMULATOR_PHONES.subscriberBusy, "LEGACY0001"));
    expect(await saleOf(owner.token, id)).toMatchObject({
      status: "failed",
      pushOutcome: "unknown",
      needsAttention: false,
      stockState: "released",
    });
    expect(await stockOf(owner.token, owner.businessId, soap)).toMatchObject({ stock: 5, reserved: 0 });
  });

  describe("payouts", () => {
    const payer = async () => {
      const user = await signUpThroughApi(suite.payme.app, { businessName: "Payer" });
      const setup = await post(user.token, "/api/payout-config/setup", {
        shortcode: "600996",
        initiatorName: SANDBOX_INITIATOR_NAME,
        initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
      });
      expect(setup.status).toBe(201);
      return user;
    };
    const payoutOf = async (token: string, id: string) =>
      (await get<{ payout: Payment }>(token, `/api/payouts/${id}`)).payout;

    it("a payout answered 5xx after Daraja made it is 202 pending (pushOutcome unknown); its result completes it", async () => {
      const user = await payer();
      suite.simulator.injectFault({
        api: "b2c_payment",
        afterProcessing: true,
        error: { status: 500, errorCode: "500.002.1001", errorMessage: "System internal error." },
      });
      const answer = await post(user.token, "/api/payouts", {
        businessId: user.businessId,
        phone: "0712000007",
        amount: 500,
      });
      expect(answer.status).toBe(202);
      const { payout } = (await answer.json()) as { payout: Payment };
      expect(payout).toMatchObject({ status: "pending", pushOutcome: "unknown", needsAttention: false });
      const completed = await eventually(async () => {
        const current = await payoutOf(user.token, payout.id);
        return current.status === "pending" ? undefined : current;
      });
      expect(completed).toMatchObject({ status: "completed", pushOutcome: "unknown" });
    });

    it("a payout answered 'Duplicate OriginatorConversationID' stays pending (accepted), and Transaction Status settles it", async () => {
      const user = await payer();
      suite.simulator.injectFault({
        api: "b2c_payment",
        afterProcessing: true,
        error: {
          status: 500,
          errorCode: "500.002.1001",
          errorMessage: "Duplicate OriginatorConversationID.",
        },
        // Its result never comes: only a status query can tell.
        callback: { deliveries: 0 },
      });
      const answer = await post(user.token, "/api/payouts", {
        businessId: user.businessId,
        phone: "0712000008",
        amount: 700,
      });
      expect(answer.status).toBe(202);
      const { payout } = (await answer.json()) as { payout: Payment };
      expect(payout).toMatchObject({ status: "pending", pushOutcome: "accepted" });
      const story = await get<{ events: { type: string }[] }>(user.token, `/api/payouts/${payout.id}/events`);
      expect(story.events.map((event) => event.type)).toEqual(["requested", "duplicate"]);

      await suite.simulator.whenIdle();
      expect((await payoutOf(user.token, payout.id)).status).toBe("pending");
      const query = resolve(suite.payme.container, QueryPendingPayouts);
      const run = await query.execute({ now: new Date(Date.now() + 3_600_000), limit: 50 });
      expect(run.sent).toBeGreaterThanOrEqual(1);
      const completed = await eventually(async () => {
        const current = await payoutOf(user.token, payout.id);
        return current.status === "completed" ? current : undefined;
      });
      expect(completed.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    });
  });
});

describe.each(testDatabaseKinds())("a push whose outcome stays unknown until expiry, on %s", (kind) => {
  it("is flagged 'push outcome unknown' when it expires, left alone by the reconciler, and still settled by its callback", async () => {
    const { database, drop } = await openTestDatabase(kind);
    const { simulator, listening } = await startSimulator({ delayMs: 20 });
    const clock = new ManualClock(new Date());
    const payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      env: { EXPIRE_AFTER_SECONDS: "3600", RECONCILE_AFTER_SECONDS: "30" },
      override: (container) => container.register(PORTS.clock, { useValue: clock }),
    });
    try {
      const buyer = await signUpThroughApi(payme.app);
      // Daraja takes the push but answers with an HTML page, and its callback is held back.
      simulator.injectFault({
        api: "stk_push",
        rawBody: { status: 504, body: "<html>Gateway Timeout</html>" },
        callback: { delayMs: 600_000 },
      });
      const answer = await payme.app.request(
        "/api/wallet-payment/initiate",
        jsonRequest("POST", { phone: "0712000009", amount: 45 }, buyer.token),
      );
      expect(answer.status).toBe(202);
      const { purchase } = (await answer.json()) as { purchase: Payment };
      expect(purchase).toMatchObject({ status: "pending", pushOutcome: "unknown", checkoutRequestId: null });
      const statusOf = async () =>
        (
          (await (
            await payme.app.request(`/api/wallet-payment/${purchase.id}`, bearer(buyer.token))
          ).json()) as {
            purchase: Payment;
          }
        ).purchase;

      clock.advance(3_601_000);
      // Without a CheckoutRequestID there is nothing to ask Daraja about.
      const before = Object.keys(simulator.stats().stkQueries).length;
      await resolve(payme.container, CheckPendingPayments).execute({ limit: 50 });
      expect(Object.keys(simulator.stats().stkQueries)).toHaveLength(before);
      expect(await resolve(payme.container, ExpireStalePayments).execute({ limit: 50 })).toBe(1);
      const expired = await statusOf();
      expect(expired).toMatchObject({
        status: "expired",
        pushOutcome: "unknown",
        needsAttention: true,
        attentionKind: "informational",
      });
      expect(expired.attentionReason).toMatch(/push outcome unknown/);

      // The callback comes at last, on the purchase's own URL.
      const url = simulator.stkPushBodies().at(-1)?.CallBackURL;
      const delivered = await fetch(String(url), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(successCallback("ws_CO_finally", 45, "254712000009", "FINALLY001")),
      });
      expect(delivered.status).toBe(200);
      expect(await statusOf()).toMatchObject({
        status: "paid",
        mpesaReceipt: "FINALLY001",
        checkoutRequestId: "ws_CO_finally",
      });
      expect(
        ((await (await payme.app.request("/api/wallet", bearer(buyer.token))).json()) as Json).balance,
      ).toBe(45);
    } finally {
      await payme.stop();
      await listening.close();
      await drop();
    }
  });
});
