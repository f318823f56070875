import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { seriousViolations } from "../support/axe.ts";
import { browserAvailable, type Chromium, launchChromium } from "../support/chromium.ts";
import { eventually, payMeSuite, verifiedConfig } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";

const SCREENSHOTS = join("test-output", "screenshots");
/** No page may weigh more than this, HTML and its inline CSS together. */
const PAGE_WEIGHT_MAX = 100 * 1024;

const VIEWPORTS = [
  { name: "phone", width: 360, height: 740 },
  { name: "laptop", width: 1280, height: 800 },
] as const;

let shortcodes = 600_700;

/**
 * A day of a shop in a real (headless) Chromium, on a 360 px phone and on a 1,280 px laptop, against PayMe over
 * HTTP with the Daraja simulator: add a product, charge a customer, a charge that fails, charge it again, a sale
 * paid by its paybill reference, the CSV export, the customer's receipt, a restock and a payout. Every page is
 * photographed, checked for overflow, script errors, axe-core violations of serious or critical impact, and its
 * weight (HTML with its inline CSS) kept under 100 KB.
 */
describe.runIf(browserAvailable()).each(VIEWPORTS)("a day of a shop on a $name ($width px)", (viewport) => {
  const suite = payMeSuite({ delayMs: 300 });
  let chromium: Chromium;
  let page: Page;
  const problems: string[] = [];
  const weights = new Map<string, number>();

  beforeAll(async () => {
    chromium = await launchChromium(viewport);
    mkdirSync(SCREENSHOTS, { recursive: true });
    page = await chromium.context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("response", async (response) => {
      if (response.request().resourceType() === "document" && response.status() < 300) {
        const path = new URL(response.url()).pathname;
        // A page reloaded or left before its body was read (the refund's status, polled) has no body to give:
        // it is weighed on its other visits.
        const body = await response.body().catch(() => null);
        if (body !== null) {
          weights.set(path, Math.max(weights.get(path) ?? 0, body.byteLength));
        }
      }
    });
  });

  afterAll(async () => {
    await chromium?.close();
  });

  const check = async (name: string) => {
    await page.screenshot({ path: join(SCREENSHOTS, `day-${viewport.name}-${name}.png`), fullPage: true });
    const overflow = Number(
      await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
    );
    expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page), `${name}: accessibility`).toEqual([]);
    expect(problems, `${name} logged errors`).toEqual([]);
  };

  const customerPays = async (shortcode: string, amount: number, billRef: string) => {
    const app = suite.simulator.app;
    const tokenAnswer = await app.request("/oauth/v1/generate?grant_type=client_credentials", {
      headers: { Authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
    });
    const { access_token } = (await tokenAnswer.json()) as { access_token: string };
    const answer = await app.request("/mpesa/c2b/v2/simulate", {
      method: "POST",
      headers: { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        ShortCode: shortcode,
        CommandID: "CustomerPayBillOnline",
        Amount: amount,
        Msisdn: "254708374149",
        BillRefNumber: billRef,
      }),
    });
    expect(answer.status).toBe(200);
  };

  /** Waits until the sale page shows this status (the page reloads itself once the payment is final). */
  const saleShows = async (status: string) => {
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator("h1 + p [data-status]").getAttribute("data-status");
        },
        { timeout: 15_000, interval: 400 },
      )
      .toBe(status);
  };

  it("runs the day: charge, fail, charge again, pay by reference, refund, export, receipt, restock, payout", {
    timeout: 120_000,
  }, async () => {
    shortcodes += 1;
    const shortcode = String(shortcodes);
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Mama Mboga" });
    await verifiedConfig(suite.payme, owner.token, {
      businessId: owner.businessId,
      paymentMethod: "paybill",
      shortcode,
      passkey: "pk",
      accountReference: "MBOGA",
      accountName: "Mama Mboga",
    });
    const registered = await suite.payme.app.request(
      `/api/businesses/${owner.businessId}/c2b/register`,
      jsonRequest("POST", {}, owner.token),
    );
    expect(registered.status).toBe(200);
    const payout = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest(
        "POST",
        {
          businessId: owner.businessId,
          shortcode: String(shortcodes + 5000),
          initiatorName: SANDBOX_INITIATOR_NAME,
          initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
        },
        owner.token,
      ),
    );
    expect(payout.status).toBe(201);
    const base = suite.payme.baseUrl;
    const q = `?business=${owner.businessId}`;

    // Sign in.
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/(dashboard|setup)/);

    // Products: add one.
    await page.goto(`${base}/products${q}`);
    await page.locator("#add-name").fill("Sukuma wiki");
    await page.locator("#add-price").fill("30");
    await page.locator("#add-stock").fill("10");
    await page.getByRole("button", { name: "Add product" }).click();
    await page.locator("[data-product]", { hasText: "Sukuma wiki" }).waitFor();
    await check("01-products");

    // Charge: two bunches, with the running total.
    await page.goto(`${base}/dashboard${q}`);
    const quantity = page.getByLabel("How many Sukuma wiki");
    await quantity.fill("2");
    await expect.poll(() => page.locator("[data-running-total]").textContent()).toBe("KES 60");
    expect(await quantity.getAttribute("max")).toBe("10");
    await page.locator("#charge-phone").fill("0712 345 678");
    await check("02-charge-form");
    await page.getByRole("button", { name: "Send payment prompt" }).click();
    await page.locator('#sale-status[data-status="paid"]').waitFor({ timeout: 15_000 });
    await check("03-charged-paid");

    // A charge that fails: not enough money on M-Pesa.
    await page.locator("#charge-phone").fill("0700000002");
    await page.locator("#charge-amount").fill("45");
    await page.getByRole("button", { name: "Send payment prompt" }).click();
    await page.locator('#sale-status[data-status="failed"]').waitFor({ timeout: 15_000 });
    await page.getByRole("link", { name: "All sales, totals and CSV" }).click();
    await page.locator("[data-sale]", { hasText: "KES 45" }).getByRole("link").click();
    await page.waitForURL(/\/sales\/[0-9a-f-]{36}/);
    await page.getByText("The customer does not have enough money in M-Pesa.").waitFor();
    const failedUrl = page.url();
    await check("04-sale-failed");

    // Charge again: a new sale, a new prompt.
    await page.getByRole("button", { name: "Charge again" }).click();
    await page.waitForURL(
      (url) => /\/sales\/[0-9a-f-]{36}/.test(url.pathname) && url.toString() !== failedUrl,
    );
    await saleShows("failed");
    expect(await page.locator("h1").textContent()).toContain("KES 45");
    await check("05-charged-again");

    // Pay by reference: a sale whose prompt is never answered, paid from the customer's own menu.
    const pending = await suite.payme.app.request(
      "/api/sales/payment",
      jsonRequest("POST", { businessId: owner.businessId, phone: "0700000005", amount: 120 }, owner.token),
    );
    const { sale } = (await pending.json()) as { sale: { id: string; reference: string } };
    await page.goto(`${base}/sales/${sale.id}${q}`);
    await page.locator(`[data-pay-instructions="${sale.reference}"]`).waitFor();
    expect(await page.locator("[data-pay-instructions]").textContent()).toContain(shortcode);
    await check("06-pay-by-reference");
    await customerPays(shortcode, 120, sale.reference);
    await saleShows("paid");
    await check("07-paid-by-reference");

    // A refund: part of the first sale goes back to the customer's phone (B2C from the payout account).
    const listed = await suite.payme.app.request(
      `/api/businesses/${owner.businessId}/sales?status=paid`,
      bearer(owner.token),
    );
    const firstSale = ((await listed.json()) as { sales: { id: string; amount: number }[] }).sales.find(
      (candidate) => candidate.amount === 60,
    );
    expect(firstSale).toBeDefined();
    await page.goto(`${base}/sales/${firstSale?.id}${q}`);
    await page.locator("#refund-slot").getByRole("link", { name: "Refund" }).click();
    await page.waitForURL(/\/refund/);
    await page.getByLabel("Amount (KES)").fill("30");
    await page.getByLabel("Reason").fill("One bunch was wilted");
    await page.getByLabel("Put the items back in stock (a full refund only)").uncheck();
    await page.getByRole("button", { name: "Refund" }).click();
    await page.locator("[data-refund]").first().waitFor();
    // Without its #fragment: a goto to the same address and fragment would not load the page again.
    const refundPage = page.url().split("#")[0] ?? "";
    // Until M-Pesa's result settles it, the refund shows pending (the page also reloads itself meanwhile, which
    // may cut a look short: that look is simply taken again).
    await eventually(async () => {
      try {
        await page.goto(refundPage);
        return (await page.locator("[data-refund]").first().getAttribute("data-status")) === "completed"
          ? true
          : undefined;
      } catch {
        return undefined;
      }
    }, 30_000);
    await page.getByText("refunded KES 30").waitFor();
    await check("07b-refunded");

    // The receipt: a public link, opened without the session.
    await page.goto(`${base}/sales/${sale.id}${q}`);
    const receiptUrl = await page.locator("[data-receipt-link]").getAttribute("href");
    expect(receiptUrl).toMatch(/\/r\/[A-Za-z0-9_-]{32}$/);
    expect(await page.getByRole("link", { name: "Share on WhatsApp" }).getAttribute("href")).toMatch(
      /^https:\/\/wa\.me\/\?text=.*%2Fr%2F/,
    );
    const stranger = await chromium.context.browser()?.newContext();
    const receiptPage = stranger === undefined ? page : await stranger.newPage();
    await receiptPage.goto(receiptUrl ?? "");
    expect(await receiptPage.locator("h1").textContent()).toBe("Mama Mboga");
    expect(await receiptPage.content()).not.toContain(owner.email);
    await receiptPage.close();
    await page.goto(receiptUrl ?? "");
    await page.emulateMedia({ media: "print" });
    await page.screenshot({
      path: join(SCREENSHOTS, `day-${viewport.name}-08-receipt-print.png`),
      fullPage: true,
    });
    await page.emulateMedia({ media: "screen" });
    await check("08-receipt");

    // The sales page: totals of today, and the CSV download of the filtered set.
    await page.goto(`${base}/sales${q}`);
    await page.getByRole("link", { name: "Today" }).click();
    await page.waitForURL(/from=/);
    expect(await page.locator('[data-total="count"]').textContent()).toBe("4");
    expect(await page.locator('[data-total="paid-amount"]').textContent()).toBe("KES 180");
    await check("09-sales-today");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV of these sales" }).click(),
    ]);
    const file = await download.path();
    const bytes = (await import("node:fs")).readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes
      .toString("utf8")
      .slice(1)
      .split("\r\n")
      .filter((line) => line !== "");
    expect(rows).toHaveLength(5);
    expect(rows.some((row) => row.includes(sale.reference) && row.includes('"paid"'))).toBe(true);

    // Restock: five more arrive.
    await page.goto(`${base}/products${q}`);
    await page.getByText("Restock").click();
    await page.getByLabel("Units delivered (Sukuma wiki)").fill("5");
    await page.getByRole("button", { name: "Add to stock" }).click();
    await page.getByText("Sukuma wiki: 13 in stock now.").waitFor();
    await check("10-restocked");

    // A payout, confirmed before it goes.
    await page.goto(`${base}/payouts${q}`);
    await page.getByLabel("Recipient's phone").fill("0712 345 678");
    await page.getByLabel("Amount").fill("150");
    await page.getByRole("button", { name: "Check the payout" }).click();
    await page.locator("#confirm-payout").waitFor();
    expect(await page.locator("[data-confirm-amount]").getAttribute("data-confirm-amount")).toBe("150");
    await check("11-payout-confirm");
    await page.getByRole("button", { name: "Send KES 150" }).click();
    await page.locator("[data-sent-payout]").waitFor();
    await eventually(async () => {
      await page.reload();
      return (await page.locator("[data-payout] [data-status]").first().getAttribute("data-status")) ===
        "completed"
        ? true
        : undefined;
    }, 15_000);
    await check("12-payout-sent");

    // Settings, and every page's weight.
    await page.goto(`${base}/settings${q}`);
    await check("13-settings");
    for (const [name, path] of [
      ["14-payment-method", "/setup/payment-method"],
      ["15-team", "/team"],
      ["16-api-keys", "/api-keys"],
      ["17-webhooks", "/dashboard/webhooks"],
    ] as const) {
      await page.goto(`${base}${path}${q}`);
      await check(name);
    }
    for (const [path, bytes] of weights) {
      expect(bytes, `${path} weighs ${bytes} bytes`).toBeLessThanOrEqual(PAGE_WEIGHT_MAX);
    }
    expect(weights.size).toBeGreaterThanOrEqual(12);
  });
});
