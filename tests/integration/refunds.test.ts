import { beforeEach, describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import { SIMULATOR_INITIATOR_WITHOUT_REVERSAL_ROLE } from "../../src/adapters/daraja-simulator/simulator-reversal-routes.ts";
import { ListRefundsOfReceipt } from "../../src/application/refunds/list-refunds-of-receipt.ts";
import { QueryPendingRefunds } from "../../src/application/refunds/query-pending-refunds.ts";
import { resolve } from "../../src/main/tokens.ts";
import { eventually, payMeSuite, verifiedConfig } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { hiddenField, WebClient } from "../support/web-client.ts";

type Json = Record<string, unknown>;
type RefundJson = {
  id: string;
  method: "reversal" | "b2c";
  status: "pending" | "completed" | "failed";
  amount: number;
  saleId?: string;
  c2bPaymentId?: string;
  payoutId?: string;
  mpesaReceipt?: string;
  resultCode?: string;
  failureReason?: string;
  pushOutcome: string;
  restock: boolean;
};
type SaleJson = {
  id: string;
  reference: string;
  status: string;
  amount: number;
  refundedAmount: number;
} & Json;

explainSkipUnlessPostgres("5 concurrent partial refunds of one sale (the receipt's row lock)");

let shortcodes = 600_700;

describe("refunds of sales and C2B payments, through the simulator", () => {
  const suite = payMeSuite({ delayMs: 30 });
  beforeEach(() => {
    suite.simulator.setDelayMs(30);
  });

  const post = (path: string, body: unknown, token: string, headers: Record<string, string> = {}) => {
    const init = jsonRequest("POST", body, token);
    return suite.payme.app.request(path, {
      ...init,
      headers: { ...(init.headers as Json), ...headers } as never,
    });
  };
  const get = async <T>(path: string, token: string): Promise<T> =>
    (await (await suite.payme.app.request(path, bearer(token))).json()) as T;
  const reversalsSent = () => suite.simulator.stats().requests.reversal;

  /**
   * A paybill business with a verified config (with the receiving shortcode's initiator unless told otherwise),
   * a payout config (unless told otherwise), and a product: 5 in stock at KES 100.
   */
  const shop = async (options: { initiator?: string | null; payouts?: boolean } = {}) => {
    shortcodes += 1;
    const shortcode = String(shortcodes);
    const owner = await signUpThroughApi(suite.payme.app, { businessName: `Duka ${shortcode}` });
    const initiator = options.initiator === undefined ? SANDBOX_INITIATOR_NAME : options.initiator;
    await verifiedConfig(suite.payme, owner.token, {
      businessId: owner.businessId,
      paymentMethod: "paybill",
      shortcode,
      passkey: "pk",
      accountReference: "DUKA",
      accountName: "Duka",
      ...(initiator === null
        ? {}
        : { initiatorName: initiator, initiatorPassword: SANDBOX_INITIATOR_PASSWORD }),
    });
    if (options.payouts !== false) {
      const payouts = await post(
        "/api/payout-config/setup",
        {
          shortcode: "600996",
          initiatorName: SANDBOX_INITIATOR_NAME,
          initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
        },
        owner.token,
      );
      expect(payouts.status).toBe(201);
    }
    const created = await post(
      `/api/businesses/${owner.businessId}/products`,
      { name: "Sukari 1kg", price: 100, stock: 5 },
      owner.token,
    );
    const { product } = (await created.json()) as { product: { id: string } };
    return { ...owner, shortcode, productId: product.id };
  };

  const stockOf = async (owner: Awaited<ReturnType<typeof shop>>) => {
    const { products } = await get<{ products: { id: string; stock: number }[] }>(
      `/api/businesses/${owner.businessId}/products`,
      owner.token,
    );
    return products.find((p) => p.id === owner.productId)?.stock;
  };

  /** A sale of `quantity` products, paid by its prompt (from `phone`). */
  const paidSale = async (owner: Awaited<ReturnType<typeof shop>>, quantity = 2, phone = "0712345678") => {
    const charged = await post(
      "/api/sales/payment",
      { businessId: owner.businessId, phone, items: [{ productId: owner.productId, quantity }] },
      owner.token,
    );
    expect(charged.status).toBe(202);
    const { sale } = (await charged.json()) as { sale: SaleJson };
    return eventually(async () => {
      const found = await get<{ sale: SaleJson }>(`/api/sales/${sale.id}`, owner.token);
      return found.sale.status === "paid" && found.sale.mpesaReceipt !== undefined ? found.sale : undefined;
    });
  };

  const refundOf = async (owner: { token: string }, id: string) =>
    (await get<{ refund: RefundJson }>(`/api/refunds/${id}`, owner.token)).refund;

  const settled = (owner: { token: string }, id: string) =>
    eventually(async () => {
      const refund = await refundOf(owner, id);
      return refund.status === "pending" ? undefined : refund;
    });

  it("a full refund reverses the sale's receipt: completed, refundedAmount, the items back in stock, and its events", async () => {
    const owner = await shop();
    const sale = await paidSale(owner, 2);
    expect(await stockOf(owner)).toBe(3);
    const asked = await post(`/api/sales/${sale.id}/refund`, { reason: "wrong item" }, owner.token);
    expect(asked.status).toBe(202);
    const { refund } = (await asked.json()) as { refund: RefundJson };
    expect(refund).toMatchObject({
      method: "reversal",
      status: "pending",
      amount: 200,
      saleId: sale.id,
      restock: true,
    });

    const done = await settled(owner, refund.id);
    expect(done).toMatchObject({ status: "completed", resultCode: "0" });
    expect(done.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    const after = await get<{ sale: SaleJson }>(`/api/sales/${sale.id}`, owner.token);
    expect(after.sale).toMatchObject({ refundedAmount: 200, stockState: "returned", status: "paid" });
    expect(await stockOf(owner)).toBe(5);

    for (const type of ["refund.completed", "sale.refunded"]) {
      const { events } = await get<{ events: { data: { object: Json } }[] }>(
        `/api/businesses/${owner.businessId}/events?type=${type}`,
        owner.token,
      );
      expect(events).toHaveLength(1);
    }

    const again = await post(`/api/sales/${sale.id}/refund`, {}, owner.token);
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({
      code: "not_refundable",
      detail: expect.stringMatching(/nothing is left/),
    });
  });

  it("a partial refund goes back by B2C to the prompt's phone, shares the payout limits, and leaves stock alone", async () => {
    const owner = await shop();
    const sale = await paidSale(owner, 2, "0712345670");
    const asked = await post(`/api/sales/${sale.id}/refund`, { amount: 50 }, owner.token);
    expect(asked.status).toBe(202);
    const { refund } = (await asked.json()) as { refund: RefundJson };
    expect(refund).toMatchObject({ method: "b2c", amount: 50, restock: false });
    expect(refund.payoutId).toBeDefined();
    const done = await settled(owner, refund.id);
    expect(done.status).toBe("completed");
    const payout = await get<{ payout: Json }>(`/api/payouts/${refund.payoutId}`, owner.token);
    expect(payout.payout).toMatchObject({ status: "completed", amount: 50, phone: "254712345670" });
    const after = await get<{ sale: SaleJson }>(`/api/sales/${sale.id}`, owner.token);
    expect(after.sale).toMatchObject({ refundedAmount: 50, stockState: "committed" });
    expect(await stockOf(owner)).toBe(3);

    const tooSmall = await post(`/api/sales/${sale.id}/refund`, { amount: 9 }, owner.token);
    expect(await tooSmall.json()).toMatchObject({
      status: 422,
      code: "not_refundable",
      detail: expect.stringMatching(/at least KES 10/),
    });
    const tooMuch = await post(`/api/sales/${sale.id}/refund`, { amount: 151 }, owner.token);
    expect(await tooMuch.json()).toMatchObject({
      status: 422,
      code: "not_refundable",
      detail: expect.stringMatching(/only KES 150/),
    });
    const restock = await post(`/api/sales/${sale.id}/refund`, { amount: 20, restock: true }, owner.token);
    expect(restock.status).toBe(400);
    // Everything left is no longer the whole payment: a B2C refund of the rest, never a reversal.
    const rest = await post(`/api/sales/${sale.id}/refund`, {}, owner.token);
    expect(((await rest.json()) as { refund: RefundJson }).refund).toMatchObject({
      method: "b2c",
      amount: 150,
    });

    await suite.payme.app.request(
      "/api/payout-config",
      jsonRequest("PATCH", { businessId: owner.businessId, perPayoutLimit: 20 }, owner.token),
    );
    const other = await paidSale(owner, 1, "0712345671");
    const overLimit = await post(`/api/sales/${other.id}/refund`, { amount: 30 }, owner.token);
    expect(await overLimit.json()).toMatchObject({ status: 422, code: "payout_limit_exceeded" });
  });

  it("answers 400 for a malformed amount and 422 for what cannot be refunded, and none of it reaches Daraja", async () => {
    const owner = await shop({ initiator: null, payouts: false });
    const sale = await paidSale(owner, 1);
    const before = reversalsSent();
    for (const amount of [0, 1.5, "10", -5, 2_000_000, null]) {
      const answer = await post(`/api/sales/${sale.id}/refund`, { amount }, owner.token);
      expect(answer.status, JSON.stringify(amount)).toBe(400);
      expect(await answer.json()).toMatchObject({ code: "validation_failed" });
    }
    const missing = await post(`/api/sales/${sale.id}/refund`, {}, owner.token);
    expect(await missing.json()).toMatchObject({ status: 422, code: "initiator_missing" });
    const noPayouts = await post(`/api/sales/${sale.id}/refund`, { amount: 40 }, owner.token);
    expect(await noPayouts.json()).toMatchObject({ status: 422, code: "payout_config_missing" });

    // A sale whose callback never comes stays pending: not paid.
    const charged = await post(
      "/api/sales/payment",
      { businessId: owner.businessId, phone: SIMULATOR_PHONES.callbackNeverSent, amount: 70 },
      owner.token,
    );
    const { sale: pending } = (await charged.json()) as { sale: SaleJson };
    const notPaid = await post(`/api/sales/${pending.id}/refund`, {}, owner.token);
    expect(await notPaid.json()).toMatchObject({
      status: 422,
      code: "not_refundable",
      detail: expect.stringMatching(/not paid/),
    });
    expect(reversalsSent()).toBe(before);

    const stranger = await signUpThroughApi(suite.payme.app);
    expect((await post(`/api/sales/${sale.id}/refund`, {}, stranger.token)).status).toBe(404);
    expect(
      (await suite.payme.app.request(`/api/refunds/${crypto.randomUUID()}`, bearer(owner.token))).status,
    ).toBe(404);
  });

  it("an initiator without the reversal role: the refund fails with M-Pesa's reason, and its amount is free again", async () => {
    const owner = await shop({ initiator: SIMULATOR_INITIATOR_WITHOUT_REVERSAL_ROLE });
    const sale = await paidSale(owner, 1);
    const { refund } = (await (await post(`/api/sales/${sale.id}/refund`, {}, owner.token)).json()) as {
      refund: RefundJson;
    };
    const failed = await settled(owner, refund.id);
    expect(failed).toMatchObject({ status: "failed", resultCode: "21" });
    expect(failed.failureReason).toMatch(/reversal role/);
    const { events } = await get<{ events: unknown[] }>(
      `/api/businesses/${owner.businessId}/events?type=refund.failed`,
      owner.token,
    );
    expect(events).toHaveLength(1);
    // Nothing went back, so a partial refund by B2C is still possible.
    const partial = await post(`/api/sales/${sale.id}/refund`, { amount: 60 }, owner.token);
    expect(partial.status).toBe(202);
  });

  it("is idempotent per key and concrete path: a replay starts nothing, another body is a conflict", async () => {
    const owner = await shop();
    const sale = await paidSale(owner, 1);
    const before = reversalsSent();
    const key = { "Idempotency-Key": `refund-${sale.id}` };
    const first = await post(`/api/sales/${sale.id}/refund`, { reason: "duplicate" }, owner.token, key);
    const second = await post(`/api/sales/${sale.id}/refund`, { reason: "duplicate" }, owner.token, key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await second.json()) as { refund: RefundJson }).refund.id).toBe(
      ((await first.json()) as { refund: RefundJson }).refund.id,
    );
    const conflict = await post(`/api/sales/${sale.id}/refund`, { reason: "other" }, owner.token, key);
    expect(conflict.status).toBe(422);
    expect(await conflict.json()).toMatchObject({ code: "idempotency_conflict" });
    expect(reversalsSent()).toBe(before + 1);
  });

  it("a C2B payment and the sale it paid by reference share one cap; the masked phone allows a full reversal only", async () => {
    const owner = await shop();
    const registered = await post(`/api/businesses/${owner.businessId}/c2b/register`, {}, owner.token);
    expect(registered.status).toBe(200);
    const charged = await post(
      "/api/sales/payment",
      { businessId: owner.businessId, phone: SIMULATOR_PHONES.callbackNeverSent, amount: 300 },
      owner.token,
    );
    const { sale } = (await charged.json()) as { sale: SaleJson };
    const app = suite.simulator.app;
    const token = (await (
      await app.request("/oauth/v1/generate?grant_type=client_credentials", {
        headers: { Authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
      })
    ).json()) as { access_token: string };
    const simulated = await app.request("/mpesa/c2b/v2/simulate", {
      method: "POST",
      headers: { Authorization: `Bearer ${token.access_token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        ShortCode: owner.shortcode,
        CommandID: "CustomerPayBillOnline",
        Amount: 300,
        Msisdn: "254708374149",
        BillRefNumber: sale.reference,
      }),
    });
    expect(simulated.status).toBe(200);
    const payment = await eventually(async () => {
      const list = await get<{ c2bPayments: ({ id: string } & Json)[] }>(
        `/api/businesses/${owner.businessId}/c2b-payments`,
        owner.token,
      );
      return list.c2bPayments[0];
    });

    for (const path of [`/api/sales/${sale.id}/refund`, `/api/c2b-payments/${payment.id}/refund`]) {
      const partial = await post(path, { amount: 100 }, owner.token);
      expect(await partial.json()).toMatchObject({
        status: 422,
        code: "not_refundable",
        detail: expect.stringMatching(/masked/),
      });
    }
    const full = await post(`/api/c2b-payments/${payment.id}/refund`, {}, owner.token);
    expect(full.status).toBe(202);
    const { refund } = (await full.json()) as { refund: RefundJson };
    expect(refund).toMatchObject({
      method: "reversal",
      amount: 300,
      c2bPaymentId: payment.id,
      saleId: sale.id,
    });
    const throughSale = await post(`/api/sales/${sale.id}/refund`, {}, owner.token);
    expect(await throughSale.json()).toMatchObject({
      status: 422,
      code: "not_refundable",
      detail: expect.stringMatching(/nothing is left/),
    });
    expect((await settled(owner, refund.id)).status).toBe("completed");
    const after = await get<{ c2bPayment: Json }>(`/api/c2b-payments/${payment.id}`, owner.token);
    expect(after.c2bPayment).toMatchObject({ refundedAmount: 300 });
    const saleAfter = await get<{ sale: SaleJson }>(`/api/sales/${sale.id}`, owner.token);
    expect(saleAfter.sale.refundedAmount).toBe(300);
  });

  it("an unclear answer leaves the refund pending; the reconciler's Transaction Status query settles it", async () => {
    const owner = await shop();
    const sale = await paidSale(owner, 1);
    // Daraja acts on the reversal, answers 500, and its result never comes.
    suite.simulator.injectFault({
      api: "reversal",
      afterProcessing: true,
      error: { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" },
      callback: { deliveries: 0 },
    });
    const asked = await post(`/api/sales/${sale.id}/refund`, {}, owner.token);
    expect(asked.status).toBe(202);
    const { refund } = (await asked.json()) as { refund: RefundJson };
    expect(refund).toMatchObject({ status: "pending", pushOutcome: "unknown" });
    await suite.simulator.whenIdle();
    expect((await refundOf(owner, refund.id)).status).toBe("pending");

    const run = await resolve(suite.payme.container, QueryPendingRefunds).execute({
      now: new Date(Date.now() + 3_600_000),
      limit: 50,
    });
    expect(run.sent).toBeGreaterThanOrEqual(1);
    const done = await settled(owner, refund.id);
    expect(done.status).toBe("completed");
    expect(done.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    expect((await get<{ sale: SaleJson }>(`/api/sales/${sale.id}`, owner.token)).sale.refundedAmount).toBe(
      100,
    );
  });

  it("the dashboard's Refund form refunds part of a paid sale, shows it pending then refunded, without script", async () => {
    const owner = await shop();
    const sale = await paidSale(owner, 2, "0712345672");
    const browser = new WebClient(suite.payme.app, suite.payme.baseUrl);
    browser.cookie = `payme_session=${owner.token}`;
    const dashboard = await (await browser.get(`/dashboard?business=${owner.businessId}`)).text();
    expect(dashboard).toContain(`href="/dashboard/sales/${sale.id}/refund#refunds"`);
    const page = await (await browser.get(`/dashboard/sales/${sale.id}/refund`)).text();
    expect(page).toContain("No refunds yet.");
    const fields = {
      _csrf: hiddenField(page, "_csrf"),
      formKey: hiddenField(page, "formKey"),
      business: owner.businessId,
      amount: "5",
      reason: "broken seal",
      restock: "true",
    };
    const tooSmall = await browser.post(`/dashboard/sales/${sale.id}/refund`, fields);
    expect(tooSmall.status).toBe(422);
    expect(await tooSmall.text()).toContain("at least KES 10");
    const sent = await browser.post(`/dashboard/sales/${sale.id}/refund`, { ...fields, amount: "40" });
    expect(sent.status).toBe(303);
    const again = await browser.post(`/dashboard/sales/${sale.id}/refund`, { ...fields, amount: "40" });
    expect(again.headers.get("location")).toBe(sent.headers.get("location"));
    await eventually(async () => {
      const shown = await (await browser.get(`/dashboard/sales/${sale.id}/refund`)).text();
      return shown.includes('data-status="completed"') ? shown : undefined;
    });
    const shown = await (await browser.get(`/dashboard/sales/${sale.id}/refund`)).text();
    expect(shown.match(/data-refund=/g)).toHaveLength(1);
    expect(shown).toContain("refunded KES 40");
    expect(shown).toContain("broken seal");

    // A cashier sees the refunds but gets no form, and a forged post is refused.
    const cashier = await signUpThroughApi(suite.payme.app);
    await post(
      `/api/businesses/${owner.businessId}/members`,
      { email: cashier.email, role: "cashier" },
      owner.token,
    );
    const till = new WebClient(suite.payme.app, suite.payme.baseUrl);
    till.cookie = `payme_session=${cashier.token}`;
    const seen = await (await till.get(`/dashboard/sales/${sale.id}/refund`)).text();
    expect(seen).toContain("Only an owner or a manager can refund a sale.");
    const forged = await till.post(`/dashboard/sales/${sale.id}/refund`, {
      _csrf: hiddenField(seen, "_csrf"),
      business: owner.businessId,
      amount: "20",
    });
    expect(forged.status).toBe(403);
  });

  it("the refund page never shows a completed refund beside a 'refunded' that leaves it out, when it completes while the page is read", async () => {
    const owner = await shop();
    const sale = await paidSale(owner, 2, "0712345673");
    const browser = new WebClient(suite.payme.app, suite.payme.baseUrl);
    browser.cookie = `payme_session=${owner.token}`;
    // M-Pesa's result comes a while after the refund is asked for, so the page's first read of the sale sees
    // nothing refunded; the page's read of the refunds is held until the refund has completed in between.
    suite.simulator.setDelayMs(1_500);
    const asked = await post(`/api/sales/${sale.id}/refund`, { amount: 30 }, owner.token);
    expect(asked.status).toBe(202);
    const { refund } = (await asked.json()) as { refund: RefundJson };
    const list = ListRefundsOfReceipt.prototype.execute;
    ListRefundsOfReceipt.prototype.execute = async function (this: ListRefundsOfReceipt, input) {
      await settled(owner, refund.id);
      return list.call(this, input);
    };
    try {
      const page = await (await browser.get(`/dashboard/sales/${sale.id}/refund`)).text();
      expect(page).toContain('data-status="completed"');
      expect(page).toContain("refunded KES 30");
    } finally {
      ListRefundsOfReceipt.prototype.execute = list;
    }
  });

  it.skipIf(!onPostgres())(
    "5 concurrent partial refunds that together would exceed the sale: exactly the ones that fit are taken",
    async () => {
      const owner = await shop();
      const sale = await paidSale(owner, 1);
      // KES 100: three refunds of 30 fit (90), a fourth would not.
      suite.simulator.setDelayMs(60_000);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => post(`/api/sales/${sale.id}/refund`, { amount: 30 }, owner.token)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([202, 202, 202, 422, 422]);
      for (const answer of answers.filter((a) => a.status === 422)) {
        expect(await answer.json()).toMatchObject({ code: "not_refundable" });
      }
      const [row] = await suite.database.orm.em
        .fork()
        .getConnection()
        .execute<{ total: string }[]>(
          `select sum(amount)::text as total from refunds where sale_id = ? and status <> 'failed'`,
          [sale.id],
        );
      expect(row?.total).toBe("90");
    },
  );
});
