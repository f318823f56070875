import { describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { sample } from "../daraja/daraja-test-kit.ts";
import { eventually, payMeSuite, verifiedConfig } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { testDatabaseKinds } from "../support/test-database.ts";

type Json = Record<string, unknown>;
type C2bPayment = {
  id: string;
  receipt: string;
  amount: number;
  phone: string;
  accountNumber?: string;
  matchedSaleId?: string;
  needsAttention: boolean;
  attentionReason?: string;
} & Json;

let shortcodes = 600_300;

describe.each(testDatabaseKinds())("C2B payments, on %s", (kind) => {
  const suite = payMeSuite({ delayMs: 50, database: kind });

  const post = (path: string, body: unknown, token?: string) =>
    suite.payme.app.request(path, jsonRequest("POST", body, token));
  const get = async <T>(path: string, token: string): Promise<T> =>
    (await (await suite.payme.app.request(path, bearer(token))).json()) as T;

  /** A paybill business with a verified config, registered for C2B; answers its token (read off Daraja's side). */
  const paybillShop = async (validation?: Json) => {
    shortcodes += 1;
    const shortcode = String(shortcodes);
    const owner = await signUpThroughApi(suite.payme.app, { businessName: `Duka ${shortcode}` });
    await verifiedConfig(suite.payme, owner.token, {
      businessId: owner.businessId,
      paymentMethod: "paybill",
      shortcode,
      passkey: "pk",
      accountReference: "DUKA",
      accountName: "Duka",
    });
    const registered = await post(
      `/api/businesses/${owner.businessId}/c2b/register`,
      validation === undefined ? {} : { validation },
      owner.token,
    );
    expect(registered.status).toBe(200);
    const { c2b } = (await registered.json()) as { c2b: { confirmationUrl: string } & Json };
    return { ...owner, shortcode, c2b };
  };

  /** A customer pays from their own menu, through the simulator's C2B Simulate (v1 or v2). */
  const customerPays = async (
    shortcode: string,
    body: { amount: number; billRef?: string; msisdn?: string; version?: "v1" | "v2" },
  ) => {
    const app = suite.simulator.app;
    const tokenAnswer = await app.request("/oauth/v1/generate?grant_type=client_credentials", {
      headers: { Authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
    });
    const { access_token } = (await tokenAnswer.json()) as { access_token: string };
    const answer = await app.request(`/mpesa/c2b/${body.version ?? "v2"}/simulate`, {
      method: "POST",
      headers: { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        ShortCode: shortcode,
        CommandID: "CustomerPayBillOnline",
        Amount: body.amount,
        Msisdn: body.msisdn ?? "254708374149",
        BillRefNumber: body.billRef ?? "",
      }),
    });
    expect(answer.status).toBe(200);
  };

  const paymentsOf = (token: string, businessId: string, query = "") =>
    get<{ c2bPayments: C2bPayment[]; nextCursor: string | null; totals: { count: number; amount: number } }>(
      `/api/businesses/${businessId}/c2b-payments${query}`,
      token,
    );

  it("registers the paybill's URLs on the callback origin, token masked, and a second business cannot take the shortcode", async () => {
    const shop = await paybillShop();
    expect(shop.c2b).toMatchObject({ shortcode: shop.shortcode, responseType: "Completed" });
    expect(shop.c2b.confirmationUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/hooks\/c2b\/confirmation\/\*\*\*\*[0-9a-f]{4}$/,
    );
    expect(String(shop.c2b.validationUrl)).toMatch(/\/hooks\/c2b\/validation\/\*\*\*\*[0-9a-f]{4}$/);
    expect(shop.c2b.darajaResponse).toMatchObject({ ResponseCode: "0" });

    // Daraja refuses a second registration, as production does; PayMe says what to do.
    const again = await post(`/api/businesses/${shop.businessId}/c2b/register`, {}, shop.token);
    expect(again.status).toBe(502);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/URL Management/);

    const rival = await signUpThroughApi(suite.payme.app, { businessName: "Rival" });
    await verifiedConfig(suite.payme, rival.token, {
      businessId: rival.businessId,
      paymentMethod: "paybill",
      shortcode: shop.shortcode,
      passkey: "pk",
      accountReference: "RIVAL",
      accountName: "Rival",
    });
    const taken = await post(`/api/businesses/${rival.businessId}/c2b/register`, {}, rival.token);
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { code: string }).code).toBe("shortcode_taken");
  });

  it("refuses to register an unverified config, and another user's business is not found", async () => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Unverified" });
    await post(
      "/api/payment-config/setup",
      {
        businessId: owner.businessId,
        paymentMethod: "paybill",
        shortcode: "611111",
        passkey: "pk",
        accountReference: "X",
        accountName: "X",
      },
      owner.token,
    );
    const refused = await post(`/api/businesses/${owner.businessId}/c2b/register`, {}, owner.token);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { code: string }).code).toBe("payment_config_unverified");
    const stranger = await signUpThroughApi(suite.payme.app);
    const hidden = await post(`/api/businesses/${owner.businessId}/c2b/register`, {}, stranger.token);
    expect(hidden.status).toBe(404);
    const bad = await post(
      `/api/businesses/${owner.businessId}/c2b/register`,
      { responseType: "completed" },
      owner.token,
    );
    expect(bad.status).toBe(400);
  });

  it("a customer pays a pending sale by its reference: the sale is paid with the receipt, and the payment names it", async () => {
    const shop = await paybillShop();
    // A push to a phone whose callback never comes leaves the sale pending.
    const charged = await post(
      "/api/sales/payment",
      { businessId: shop.businessId, phone: "254700000005", amount: 450 },
      shop.token,
    );
    const { sale } = (await charged.json()) as { sale: { id: string; reference: string } };
    expect(sale.reference).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);

    await customerPays(shop.shortcode, { amount: 450, billRef: sale.reference.toLowerCase() });
    const [payment] = await eventually(async () => {
      const list = await paymentsOf(shop.token, shop.businessId);
      return list.c2bPayments.length > 0 ? list.c2bPayments : undefined;
    });
    expect(payment).toMatchObject({
      amount: 450,
      matchedSaleId: sale.id,
      needsAttention: false,
      kind: "c2b",
    });
    expect(payment?.phone).toBe("2547 ***** 149");
    const paid = await get<{ sale: Json }>(`/api/sales/${sale.id}`, shop.token);
    expect(paid.sale).toMatchObject({ status: "paid", mpesaReceipt: payment?.receipt });

    const single = await get<{ c2bPayment: C2bPayment }>(`/api/c2b-payments/${payment?.id}`, shop.token);
    expect(single.c2bPayment.receipt).toBe(payment?.receipt);
    const stranger = await signUpThroughApi(suite.payme.app);
    expect(
      (await suite.payme.app.request(`/api/c2b-payments/${payment?.id}`, bearer(stranger.token))).status,
    ).toBe(404);

    // Paying the same reference again: recorded, and flagged (the customer paid twice).
    await customerPays(shop.shortcode, { amount: 450, billRef: sale.reference, version: "v1" });
    const list = await eventually(async () => {
      const found = await paymentsOf(shop.token, shop.businessId);
      return found.c2bPayments.length === 2 ? found : undefined;
    });
    const second = list.c2bPayments[0];
    expect(second?.needsAttention).toBe(true);
    expect(second?.attentionReason).toMatch(/already paid/);
    expect(second?.phone).toMatch(/^[0-9a-f]{64}$/);
    expect(list.totals).toEqual({ count: 2, amount: 900 });
  });

  it("a sale paid by its reference and then by its prompt too is flagged: the customer paid twice", async () => {
    const shop = await paybillShop();
    // The prompt's callback comes late, after the customer has also paid the paybill with the sale's reference.
    suite.simulator.injectFault({ api: "stk_push", callback: { delayMs: 1_500 } });
    const charged = await post(
      "/api/sales/payment",
      { businessId: shop.businessId, phone: "254708374149", amount: 250 },
      shop.token,
    );
    expect(charged.status).toBe(202);
    const { sale } = (await charged.json()) as { sale: { id: string; reference: string } };
    await customerPays(shop.shortcode, { amount: 250, billRef: sale.reference });
    const byReference = await eventually(async () => {
      const { sale: current } = await get<{ sale: Json }>(`/api/sales/${sale.id}`, shop.token);
      return current.status === "paid" ? current : undefined;
    });
    expect(byReference.needsAttention).toBe(false);
    const flagged = await eventually(async () => {
      const { sale: current } = await get<{ sale: Json }>(`/api/sales/${sale.id}`, shop.token);
      return current.needsAttention === true ? current : undefined;
    });
    expect(flagged).toMatchObject({ status: "paid", mpesaReceipt: byReference.mpesaReceipt });
    expect(String(flagged.attentionReason)).toMatch(/paid again with receipt \w+ after receipt \w+/);
  });

  it("a different amount flags the sale instead of paying it", async () => {
    const shop = await paybillShop();
    const charged = await post(
      "/api/sales/payment",
      { businessId: shop.businessId, phone: "254700000005", amount: 300 },
      shop.token,
    );
    const { sale } = (await charged.json()) as { sale: { id: string; reference: string } };
    await customerPays(shop.shortcode, { amount: 200, billRef: sale.reference });
    const flagged = await eventually(async () => {
      const { sale: current } = await get<{ sale: Json }>(`/api/sales/${sale.id}`, shop.token);
      return current.needsAttention === true ? current : undefined;
    });
    expect(flagged).toMatchObject({ status: "pending" });
    expect(String(flagged.attentionReason)).toMatch(/200/);
  });

  it("records each receipt once, however often and however concurrently it is delivered; a changed amount is flagged, never credited", async () => {
    const shop = await paybillShop();
    await customerPays(shop.shortcode, { amount: 120, msisdn: "254700000006", billRef: "walk-in" });
    const list = await eventually(async () => {
      const found = await paymentsOf(shop.token, shop.businessId);
      return found.c2bPayments.length > 0 &&
        suite.simulator.callbacks().filter((d) => d.kind === "c2b_confirmation").length >= 3
        ? found
        : undefined;
    });
    expect(list.totals).toEqual({ count: 1, amount: 120 });
  });

  it("keeps malformed confirmations and unknown tokens for audit only, always answering what Daraja expects", async () => {
    const shop = await paybillShop();
    const confirmationPath = new URL(String(suite.simulator.c2bUrls(shop.shortcode)?.confirmationUrl))
      .pathname;
    const v1 = sample("c2b_confirmation_v1_sandbox_2019") as Json;
    for (const broken of [
      { ...v1, TransAmount: "12.50" },
      { ...v1, TransAmount: "many" },
      { ...v1, TransID: undefined },
      { ...v1, BillRefNumber: "X".repeat(300) },
    ]) {
      const answer = await post(confirmationPath, broken);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    }
    expect((await paymentsOf(shop.token, shop.businessId)).totals.count).toBe(0);

    // The same receipt twice, the second with another amount: recorded once, then flagged.
    const good = { ...v1, TransID: `QK${shop.shortcode}X`, BusinessShortCode: shop.shortcode };
    await Promise.all([
      post(confirmationPath, good),
      post(confirmationPath, good),
      post(confirmationPath, good),
    ]);
    await post(confirmationPath, { ...good, TransAmount: "9999.00" });
    const list = await paymentsOf(shop.token, shop.businessId);
    expect(list.totals).toEqual({ count: 1, amount: 3000 });
    expect(list.c2bPayments[0]?.needsAttention).toBe(true);
    expect(list.c2bPayments[0]?.attentionReason).toMatch(/9999/);
    expect(list.c2bPayments[0]?.phone).toBe("254708374149");
    const search = await paymentsOf(shop.token, shop.businessId, "?q=test1");
    expect(search.totals.count).toBe(1);
    const none = await paymentsOf(shop.token, shop.businessId, "?from=2030-01-01");
    expect(none.totals.count).toBe(0);

    const unknown = await post(
      "/hooks/c2b/confirmation/deadbeef",
      sample("c2b_confirmation_v1_sandbox_2019"),
    );
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    const junk = await post("/hooks/c2b/confirmation/deadbeef", { TransAmount: "lots" });
    expect(junk.status).toBe(200);
    expect(await junk.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    expect((await paymentsOf(shop.token, shop.businessId)).totals.count).toBe(1);

    // Every delivery is in the audit trail, its token masked, with what became of it.
    const token = confirmationPath.split("/").at(-1) ?? "";
    const audit = await suite.database.orm.em
      .fork()
      .getConnection()
      .execute<{ disposition: string; path: string; trusted: boolean }[]>(
        `select disposition, path, trusted from mpesa_callbacks where kind = 'c2b_confirmation' and (path like '%deadbeef%' or path like '%[token]%') and (body->>'TransID' is null or body->>'TransID' in ('NJN81HAORO', ?))`,
        [good.TransID],
      );
    const dispositions = audit.map((row) => row.disposition);
    expect(dispositions.filter((d) => d === "invalid").length).toBeGreaterThanOrEqual(4);
    expect(dispositions.filter((d) => d === "applied")).toHaveLength(1);
    expect(dispositions.filter((d) => d === "no_change")).toHaveLength(2);
    expect(dispositions.filter((d) => d === "flagged")).toHaveLength(1);
    expect(dispositions.filter((d) => d === "unknown_payment").length).toBeGreaterThanOrEqual(2);
    expect(audit.some((row) => row.path.includes(token) || row.path.includes("deadbeef"))).toBe(false);
  });

  it("backfills a payment whose confirmation never came, once, with Pull Transactions", async () => {
    const shop = await paybillShop();
    const charged = await post(
      "/api/sales/payment",
      { businessId: shop.businessId, phone: "254700000005", amount: 700 },
      shop.token,
    );
    const { sale } = (await charged.json()) as { sale: { id: string; reference: string } };
    await customerPays(shop.shortcode, { amount: 700, billRef: sale.reference, msisdn: "254700000005" });
    await suite.simulator.whenIdle();
    expect((await paymentsOf(shop.token, shop.businessId)).totals.count).toBe(0);
    const pulled = await post(`/api/businesses/${shop.businessId}/c2b/pull`, {}, shop.token);
    expect(pulled.status).toBe(200);
    expect(await pulled.json()).toEqual({ pulled: 1, recorded: 1 });
    const again = await post(`/api/businesses/${shop.businessId}/c2b/pull`, {}, shop.token);
    expect(await again.json()).toEqual({ pulled: 1, recorded: 0 });
    const list = await paymentsOf(shop.token, shop.businessId);
    expect(list.c2bPayments[0]).toMatchObject({ amount: 700, matchedSaleId: sale.id, source: "pull" });
    const { sale: paid } = await get<{ sale: Json }>(`/api/sales/${sale.id}`, shop.token);
    expect(paid.status).toBe("paid");

    // The reconciler pulls too, at most every C2B_PULL_MINUTES.
    const reconciler = resolve(suite.payme.container, SERVICES.reconciler);
    await customerPays(shop.shortcode, { amount: 55, msisdn: "254700000005" });
    await suite.simulator.whenIdle();
    await reconciler.runOnce();
    expect((await paymentsOf(shop.token, shop.businessId)).totals).toEqual({ count: 2, amount: 755 });
    await customerPays(shop.shortcode, { amount: 66, msisdn: "254700000005" });
    await suite.simulator.whenIdle();
    await reconciler.runOnce();
    expect((await paymentsOf(shop.token, shop.businessId)).totals.count).toBe(2);
  });

  it("validates payments by the business's rules, within Daraja's 3 seconds", async () => {
    const shop = await paybillShop({
      enabled: true,
      minAmount: 10,
      maxAmount: 5000,
      requireKnownAccount: true,
    });
    const validationPath = new URL(String(suite.simulator.c2bUrls(shop.shortcode)?.validationUrl)).pathname;
    const product = await post(
      `/api/businesses/${shop.businessId}/products`,
      { name: "Soap", price: 50, stock: 10, sku: "SOAP-1" },
      shop.token,
    );
    expect(product.status).toBe(201);
    const charged = await post(
      "/api/sales/payment",
      { businessId: shop.businessId, phone: "254700000005", amount: 60 },
      shop.token,
    );
    const { sale } = (await charged.json()) as { sale: { reference: string } };
    const v1 = sample("c2b_confirmation_v1_sandbox_2019") as Json;
    const ask = async (overrides: Json) =>
      (await (await post(validationPath, { ...v1, OrgAccountBalance: "", ...overrides })).json()) as Json;
    expect(await ask({ TransAmount: "60.00", BillRefNumber: sale.reference })).toEqual({
      ResultCode: "0",
      ResultDesc: "Accepted",
    });
    expect(await ask({ TransAmount: "60.00", BillRefNumber: "SOAP-1" })).toMatchObject({ ResultCode: "0" });
    expect(await ask({ TransAmount: "60.00", BillRefNumber: "nobody" })).toMatchObject({
      ResultCode: "C2B00012",
    });
    expect(await ask({ TransAmount: "5.00", BillRefNumber: "SOAP-1" })).toMatchObject({
      ResultCode: "C2B00013",
    });
    expect(await ask({ TransAmount: "9000.00", BillRefNumber: "SOAP-1" })).toMatchObject({
      ResultCode: "C2B00013",
    });
    expect(await ask({ TransAmount: "bad" })).toMatchObject({ ResultCode: "C2B00016" });
  });

  it("a payment config may keep the receiving shortcode's initiator, sealed, shown only as hasInitiator", async () => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "With initiator" });
    const base = {
      businessId: owner.businessId,
      paymentMethod: "paybill",
      shortcode: "612345",
      passkey: "pk",
      accountReference: "DUKA",
      accountName: "Duka",
    };
    const half = await post("/api/payment-config/setup", { ...base, initiatorName: "apiop" }, owner.token);
    expect(half.status).toBe(400);
    expect(JSON.stringify(await half.json())).toContain("initiatorPassword");
    const created = await post(
      "/api/payment-config/setup",
      { ...base, initiatorName: "apiop", initiatorPassword: "Op-Secret-123!" },
      owner.token,
    );
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain("Op-Secret-123!");
    expect(JSON.parse(text).config).toMatchObject({ hasInitiator: true });
    const [row] = await suite.database.orm.em
      .fork()
      .getConnection()
      .execute<{ initiator_name: string; initiator_password_sealed: string }[]>(
        "select initiator_name, initiator_password_sealed from payment_configs where business_id = ? and is_active",
        [owner.businessId],
      );
    expect(row?.initiator_name).toBe("apiop");
    expect(row?.initiator_password_sealed).not.toContain("Op-Secret");
    const without = await post("/api/payment-config/setup", base, owner.token);
    expect(((await without.json()) as { config: Json }).config).toMatchObject({ hasInitiator: false });
  });

  it("trusts a confirmation on an unknown token only once Transaction Status confirms its receipt, amount and shortcode", async () => {
    shortcodes += 1;
    const shortcode = String(shortcodes);
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Checked" });
    await verifiedConfig(suite.payme, owner.token, {
      businessId: owner.businessId,
      paymentMethod: "paybill",
      shortcode,
      passkey: "pk",
      accountReference: "DUKA",
      accountName: "Duka",
      initiatorName: SANDBOX_INITIATOR_NAME,
      initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
    });
    expect((await post(`/api/businesses/${owner.businessId}/c2b/register`, {}, owner.token)).status).toBe(
      200,
    );
    // A real payment whose confirmation Safaricom never sent: the simulator knows its receipt.
    await customerPays(shortcode, { amount: 640, msisdn: "254700000005", billRef: "walk-in" });
    await suite.simulator.whenIdle();
    const app = suite.simulator.app;
    const tokenAnswer = await app.request("/oauth/v1/generate?grant_type=client_credentials", {
      headers: { Authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
    });
    const { access_token } = (await tokenAnswer.json()) as { access_token: string };
    const pulled = (await (
      await app.request("/pulltransactions/v1/query", {
        method: "POST",
        headers: { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          ShortCode: shortcode,
          StartDate: "2020-01-01 00:00:00",
          EndDate: "2099-01-01 00:00:00",
          OffSetValue: "0",
        }),
      })
    ).json()) as { Response: { transactionId: string }[][] };
    const receipt = pulled.Response[0]?.[0]?.transactionId ?? "";
    const confirmation = (overrides: Json) => ({
      ...(sample("c2b_confirmation_v2_masked_docs") as Json),
      BusinessShortCode: shortcode,
      TransID: receipt,
      TransAmount: "640.00",
      ...overrides,
    });
    // A forgery: a receipt M-Pesa never issued, and a real receipt with another amount.
    await post("/hooks/c2b/confirmation/00ff00ff", confirmation({ TransID: "QQQ0000000" }));
    await post("/hooks/c2b/confirmation/00ff00ff", confirmation({ TransAmount: "6400.00" }));
    await suite.simulator.whenIdle();
    await eventually(async () =>
      suite.simulator.callbacks().filter((d) => d.kind === "status_result").length >= 2 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await paymentsOf(owner.token, owner.businessId)).totals.count).toBe(0);
    // The real one, on an unknown token: recorded once the query confirms it.
    const answer = await post("/hooks/c2b/confirmation/00ff00ff", confirmation({}));
    expect(await answer.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    // The page and its totals are two reads: wait until both show the payment (it may land between them).
    const list = await eventually(async () => {
      const found = await paymentsOf(owner.token, owner.businessId);
      return found.totals.count > 0 && found.c2bPayments.length > 0 ? found : undefined;
    });
    expect(list.totals).toEqual({ count: 1, amount: 640 });
    expect(list.c2bPayments).toHaveLength(1);
    expect(list.c2bPayments[0]).toMatchObject({ receipt, source: "status_query" });
  });
});
