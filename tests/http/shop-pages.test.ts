import { describe, expect, it } from "vitest";
import { eventually, payMeSuite, verifiedConfig } from "../support/payme-server.ts";
import { bearer, jsonRequest } from "../support/test-app.ts";
import { hiddenField, WebClient } from "../support/web-client.ts";

type Sale = { id: string; status: string; reference: string };

describe("the shop's pages: sales, a sale, its receipt, products and payouts", () => {
  const suite = payMeSuite({ delayMs: 50 });

  /** A signed-in owner in a browser, with a verified paybill; answers the browser, the JWT and the business. */
  const shop = async () => {
    const browser = new WebClient(suite.payme.app);
    const { businessId, csrf } = await browser.signUp({ businessName: "Kibanda" });
    const jwt = (browser.cookie ?? "").split("=")[1] ?? "";
    await verifiedConfig(suite.payme, jwt, {
      businessId,
      paymentMethod: "paybill",
      shortcode: "600444",
      passkey: "pk",
      accountReference: "KIBANDA",
      accountName: "Kibanda",
    });
    return { browser, jwt, businessId, csrf };
  };
  const charge = async (jwt: string, body: Record<string, unknown>) =>
    (
      (await (
        await suite.payme.app.request("/api/sales/payment", jsonRequest("POST", body, jwt))
      ).json()) as { sale: Sale }
    ).sale;
  const settled = (jwt: string, id: string) =>
    eventually(async () => {
      const { sale } = (await (await suite.payme.app.request(`/api/sales/${id}`, bearer(jwt))).json()) as {
        sale: Sale;
      };
      return sale.status === "pending" ? undefined : sale;
    });

  it("shows a paid sale's public receipt to anyone with its link, and nothing for any other token", async () => {
    const { browser, jwt, businessId } = await shop();
    const paid = await settled(
      jwt,
      (await charge(jwt, { businessId, phone: "0712345678", amount: 75, description: "Chapati" })).id,
    );
    const page = await (await browser.get(`/sales/${paid.id}?business=${businessId}`)).text();
    const link = /href="(http:\/\/localhost\/r\/[A-Za-z0-9_-]{32})"/.exec(page)?.[1];
    expect(link).toBeDefined();
    const again = await (await browser.get(`/sales/${paid.id}?business=${businessId}`)).text();
    expect(again).toContain(link);
    const stranger = new WebClient(suite.payme.app);
    const receipt = await stranger.get(new URL(link ?? "").pathname);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await receipt.text();
    expect(html).toContain("Kibanda");
    expect(html).toContain("KES 75");
    expect(html).toContain("0712 *** 678");
    expect(html).not.toContain("712345678");
    expect(html).not.toContain("Sign out");
    expect(html).toContain("size:80mm");
    for (const token of ["x".repeat(32), "short", `${"A".repeat(31)}%2F`]) {
      expect((await stranger.get(`/r/${token}`)).status).toBe(404);
    }
  });

  it("offers charge again only after a failure, and a charge again of a sale whose outcome is unknown sends nothing", async () => {
    const { browser, jwt, businessId } = await shop();
    const failed = await settled(
      jwt,
      (await charge(jwt, { businessId, phone: "0700000002", amount: 40 })).id,
    );
    const failedPage = await (await browser.get(`/sales/${failed.id}?business=${businessId}`)).text();
    expect(failedPage).toContain("The customer does not have enough money in M-Pesa.");
    expect(failedPage).toContain("Charge again");
    const again = await browser.post(`/sales/${failed.id}/charge-again`, {
      _csrf: hiddenField(failedPage, "_csrf"),
      business: businessId,
      formKey: hiddenField(failedPage, "formKey"),
    });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).not.toContain(failed.id);

    // Never answered (the simulator's phone whose callback never comes): pending, outcome unknown.
    const pending = await charge(jwt, { businessId, phone: "0700000005", amount: 41 });
    const pendingPage = await (await browser.get(`/sales/${pending.id}?business=${businessId}`)).text();
    expect(pendingPage).not.toContain("Charge again");
    expect(pendingPage).toContain(`data-pay-instructions="${pending.reference}"`);
    const before = await suite.payme.app.request(`/api/businesses/${businessId}/sales`, bearer(jwt));
    const count = ((await before.json()) as { totals: { count: number } }).totals.count;
    const refused = await browser.post(`/sales/${pending.id}/charge-again`, {
      _csrf: hiddenField(pendingPage, "_csrf"),
      business: businessId,
      formKey: "a-new-key-0001",
    });
    expect(refused.status).toBe(303);
    expect(refused.headers.get("location")).toContain(pending.id);
    const after = await suite.payme.app.request(`/api/businesses/${businessId}/sales`, bearer(jwt));
    expect(((await after.json()) as { totals: { count: number } }).totals.count).toBe(count);
  });

  it("filters the sales page, says what is wrong with a bad filter, and downloads the filtered CSV", async () => {
    const { browser, jwt, businessId } = await shop();
    await settled(jwt, (await charge(jwt, { businessId, phone: "0712345678", amount: 90 })).id);
    await settled(jwt, (await charge(jwt, { businessId, phone: "0700000001", amount: 91 })).id);
    const all = await (await browser.get(`/sales?business=${businessId}`)).text();
    expect(all).toContain('data-total="count">2<');
    expect(all).toContain('data-total="paid-amount">KES 90<');
    const cancelled = await (await browser.get(`/sales?business=${businessId}&status=cancelled`)).text();
    expect(cancelled).toContain('data-total="count">1<');
    expect(cancelled).toContain("KES 91");
    const bad = await browser.get(`/sales?business=${businessId}&from=2026-13-01`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("From must be an ISO 8601 date");
    const csv = await browser.get(`/sales/download?business=${businessId}&status=paid`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const rows = (await csv.text()).split("\r\n").filter((row) => row !== "");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('"90"');
  });

  it("restocks, edits and archives a product from the products page", async () => {
    const { browser, jwt, businessId } = await shop();
    const created = await suite.payme.app.request(
      `/api/businesses/${businessId}/products`,
      jsonRequest("POST", { name: "Mandazi", price: 10, stock: 4 }, jwt),
    );
    const { product } = (await created.json()) as { product: { id: string } };
    const page = await (await browser.get(`/products?business=${businessId}`)).text();
    const csrf = hiddenField(page, "_csrf");
    /** A successful form answers 303 to the products page, which then shows what was done (Post/Redirect/Get). */
    const followed = async (response: Response) => {
      expect(response.status).toBe(303);
      const location = response.headers.get("location") ?? "";
      expect(location).toMatch(new RegExp(`^/products\\?business=${businessId}&`));
      return (await browser.get(location)).text();
    };
    const restocked = await browser.post(`/products/${product.id}/restock`, {
      _csrf: csrf,
      business: businessId,
      quantity: "6",
    });
    expect(await followed(restocked)).toContain("Mandazi: 10 in stock now.");
    const badRestock = await browser.post(`/products/${product.id}/restock`, {
      _csrf: csrf,
      business: businessId,
      quantity: "0",
    });
    expect(badRestock.status).toBe(400);
    expect(await badRestock.text()).toContain("Units delivered");
    const badEdit = await browser.post(`/products/${product.id}/edit`, {
      _csrf: csrf,
      business: businessId,
      name: "",
      price: "12",
    });
    expect(badEdit.status).toBe(400);
    const edited = await browser.post(`/products/${product.id}/edit`, {
      _csrf: csrf,
      business: businessId,
      name: "Mandazi ya nazi",
      price: "12",
      sku: "MDZ",
    });
    expect(await followed(edited)).toContain("Saved Mandazi ya nazi.");
    const archived = await browser.post(`/products/${product.id}/archive`, {
      _csrf: csrf,
      business: businessId,
    });
    expect(await followed(archived)).toContain("Mandazi ya nazi is archived");
    // The notice names a product only of the business shown, and only for a known outcome.
    const stranger = await shop();
    const foreign = await (
      await stranger.browser.get(`/products?business=${stranger.businessId}&done=saved&product=${product.id}`)
    ).text();
    expect(foreign).not.toContain("Mandazi");
    const unknown = await (
      await browser.get(`/products?business=${businessId}&done=hacked&product=${product.id}`)
    ).text();
    expect(unknown).not.toContain('role="status"');
    expect(await (await browser.get(`/products?business=${businessId}`)).text()).not.toContain(
      "Mandazi ya nazi",
    );
    expect(await (await browser.get(`/products?business=${businessId}&archived=true`)).text()).toContain(
      "Mandazi ya nazi",
    );
  });
});
