import { describe, expect, it } from "vitest";
import { eventually, payMeSuite } from "../support/payme-server.ts";
import { hiddenField, WebClient } from "../support/web-client.ts";

/** The payment forms of the pages, against PayMe over HTTP with the simulator. */
describe("payment forms in the browser", () => {
  const suite = payMeSuite({ delayMs: 30 });

  it("stores a NUL typed into a form as U+FFFD, where the database would refuse the row", async () => {
    const browser = new WebClient(suite.payme.app, suite.payme.baseUrl);
    await browser.signUp({ businessName: "Duka\u0000Bora" });
    expect(await (await browser.get("/dashboard")).text()).toContain("Duka\ufffdBora");
  });

  /** A signed-up browser whose till is set up and verified through the pages. */
  const shopkeeper = async () => {
    const browser = new WebClient(suite.payme.app, suite.payme.baseUrl);
    const { csrf, businessId } = await browser.signUp({ businessName: "Kibanda" });
    await browser.post("/setup/payment-method", {
      _csrf: csrf,
      business: businessId,
      paymentMethod: "till",
      shortcode: "5123456",
      accountName: "Kibanda",
      passkey: "a-passkey",
    });
    const setup = await (await browser.get(`/setup/payment-method?business=${businessId}`)).text();
    const verify = await browser.post("/setup/payment-method/verify", {
      _csrf: csrf,
      business: businessId,
      formKey: hiddenField(setup, "formKey"),
      phone: "0712345678",
    });
    expect(verify.status).toBe(303);
    await eventually(async () => {
      const status = await browser.get(`/setup/payment-method/status?business=${businessId}`, {
        "X-CSRF-Token": csrf,
      });
      const body = (await status.json()) as { verified: boolean };
      return body.verified ? true : undefined;
    });
    return { browser, csrf, businessId };
  };

  const salesOf = async (browser: WebClient) =>
    ((await (await browser.get("/dashboard")).text()).match(/<li data-sale=/g) ?? []).length;

  it("sends one payment prompt for a form sent twice, or double-tapped, with the same values", async () => {
    const { browser, csrf, businessId } = await shopkeeper();
    const dashboard = await (await browser.get("/dashboard")).text();
    const charge = {
      _csrf: csrf,
      business: businessId,
      formKey: hiddenField(dashboard, "formKey"),
      phone: "0722000111",
      amount: "250",
    };

    const first = await browser.post("/dashboard/charge", charge);
    const resent = await browser.post("/dashboard/charge", charge);
    expect(first.status).toBe(303);
    expect(resent.headers.get("location")).toBe(first.headers.get("location"));
    expect(await salesOf(browser)).toBe(1);

    // A double tap: both arrive while the first is still with M-Pesa; both land on the same sale.
    const tapped = {
      ...charge,
      formKey: hiddenField(await (await browser.get("/dashboard")).text(), "formKey"),
    };
    const [one, two] = await Promise.all([
      browser.post("/dashboard/charge", tapped),
      browser.post("/dashboard/charge", tapped),
    ]);
    expect(one.headers.get("location")).toMatch(/sale=/);
    expect(two.headers.get("location")).toBe(one.headers.get("location"));
    expect(await salesOf(browser)).toBe(2);

    // The same form changed before it is sent again is a new charge.
    const changed = await browser.post("/dashboard/charge", { ...charge, amount: "300" });
    expect(changed.headers.get("location")).not.toBe(first.headers.get("location"));
    expect(await salesOf(browser)).toBe(3);
  });

  it("shows a sale's live status, from pending to paid, to the page that polls it", async () => {
    const { browser, csrf, businessId } = await shopkeeper();
    const dashboard = await (await browser.get("/dashboard")).text();
    // The customer answers only once the page has been seen polling: the callback is held until settled below.
    suite.simulator.injectFault({ api: "stk_push", callback: { delayMs: 600_000 } });
    const sent = await browser.post("/dashboard/charge", {
      _csrf: csrf,
      business: businessId,
      formKey: hiddenField(dashboard, "formKey"),
      phone: "0722000111",
      amount: "40",
    });
    const saleId = /sale=([0-9a-f-]{36})/.exec(sent.headers.get("location") ?? "")?.[1];
    const page = await (await browser.get(`/dashboard?business=${businessId}&sale=${saleId}`)).text();
    expect(page).toContain(`data-poll="/dashboard/sales/${saleId}/status"`);
    const [row] = (await suite.database.orm.em
      .fork()
      .getConnection()
      .execute("select checkout_request_id from sales where id = ?", [saleId])) as {
      checkout_request_id: string;
    }[];
    expect(await suite.simulator.settle(String(row?.checkout_request_id))).not.toBeNull();
    const paid = await eventually(async () => {
      const status = await browser.get(`/dashboard/sales/${saleId}/status`, { "X-CSRF-Token": csrf });
      const body = (await status.json()) as { status: string; final: boolean; label: string };
      return body.final ? body : undefined;
    });
    expect(paid).toMatchObject({ status: "paid", label: expect.stringContaining("Paid: KES 40") });
    // Once final, the page no longer polls.
    const settled = await (await browser.get(`/dashboard?business=${businessId}&sale=${saleId}`)).text();
    expect(settled).not.toContain("data-poll=");
    expect(settled).toContain('data-status="paid"');

    // Another user's sale is not found, exactly like a missing one.
    const stranger = new WebClient(suite.payme.app, suite.payme.baseUrl);
    const { csrf: theirs } = await stranger.signUp();
    const foreign = await stranger.get(`/dashboard/sales/${saleId}/status`, { "X-CSRF-Token": theirs });
    expect(foreign.status).toBe(404);
  });

  it("tells the cashier a prompt may still arrive when M-Pesa's answer is unclear, and shows it paid when it is", async () => {
    const { browser, csrf, businessId } = await shopkeeper();
    const dashboard = await (await browser.get("/dashboard")).text();
    suite.simulator.injectFault({
      api: "stk_push",
      afterProcessing: true,
      error: { status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" },
      callback: { delayMs: 600_000 },
    });
    const sent = await browser.post("/dashboard/charge", {
      _csrf: csrf,
      business: businessId,
      formKey: hiddenField(dashboard, "formKey"),
      phone: "0722000333",
      amount: "70",
    });
    expect(sent.status).toBe(303);
    const saleId = /sale=([0-9a-f-]{36})/.exec(sent.headers.get("location") ?? "")?.[1];
    const status = async () =>
      (await (await browser.get(`/dashboard/sales/${saleId}/status`, { "X-CSRF-Token": csrf })).json()) as {
        status: string;
        final: boolean;
        label: string;
      };
    const unclear = await status();
    expect(unclear).toMatchObject({ status: "pending", final: false });
    expect(unclear.label).toContain("may still arrive");
    expect(unclear.label).toContain("Do not ask the customer to pay again");
    expect(unclear.label).not.toMatch(/not paid|failed/i);

    // The held-back callback comes: the page shows the sale paid.
    const pushed = suite.simulator.stkPushBodies().filter((body) => body.PhoneNumber === "254722000333");
    const url = String(pushed.at(-1)?.CallBackURL);
    const body = {
      Body: {
        stkCallback: {
          MerchantRequestID: "29115-34620561-1",
          CheckoutRequestID: "ws_CO_web_unclear",
          ResultCode: 0,
          ResultDesc: "The service request is processed successfully.",
          CallbackMetadata: {
            Item: [
              { Name: "Amount", Value: 70 },
              { Name: "MpesaReceiptNumber", Value: "WEBUNCLEAR" },
              { Name: "PhoneNumber", Value: 254722000333 },
            ],
          },
        },
      },
    };
    await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(await status()).toMatchObject({
      status: "paid",
      final: true,
      label: expect.stringContaining("Paid: KES 70"),
    });
  });

  it("tells the owner when M-Pesa refuses the test push, beside nothing but the form", async () => {
    const browser = new WebClient(suite.payme.app, suite.payme.baseUrl);
    const { csrf, businessId } = await browser.signUp();
    // 174379 is Safaricom's sandbox shortcode: the simulator knows its passkey, so a wrong one is refused.
    await browser.post("/setup/payment-method", {
      _csrf: csrf,
      business: businessId,
      paymentMethod: "paybill",
      shortcode: "174379",
      accountReference: "DUKA1",
      accountName: "Duka",
      passkey: "not-the-sandbox-passkey",
    });
    const setup = await (await browser.get("/setup/payment-method")).text();
    const refused = await browser.post("/setup/payment-method/verify", {
      _csrf: csrf,
      business: businessId,
      formKey: hiddenField(setup, "formKey"),
      phone: "0712345678",
    });
    expect(refused.status).toBe(502);
    const html = await refused.text();
    expect(html).toContain("Check the numbers and the passkey in step 1");
    expect(html).not.toContain("not-the-sandbox-passkey");
  });
});
