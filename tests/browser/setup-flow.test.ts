import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListeningSimulator } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { seriousViolations } from "../support/axe.ts";
import { browserAvailable, type Chromium, launchChromium } from "../support/chromium.ts";
import { type RunningPayMe, startPayMe, startSimulator } from "../support/payme-server.ts";
import { openTestDatabase } from "../support/test-database.ts";

const SCREENSHOTS = join("test-output", "screenshots");
/** The narrowest phone the pages are made for. */
const PHONE = { width: 360, height: 740 };

/**
 * A new shopkeeper in a real (headless) Chromium on a 360 px screen, against PayMe served over HTTP with the
 * Daraja simulator: sign up, set up a till, verify it, buy tokens, add a product, charge a customer, and see
 * the sale paid and the stock go down. Every page is photographed and checked for horizontal overflow, script
 * errors and CSP violations.
 */
describe.runIf(browserAvailable())("the setup flow in a browser", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let simulator: ListeningSimulator;
  let payme: RunningPayMe;
  let chromium: Chromium;
  let page: Page;
  const problems: string[] = [];
  const statusCalls: string[] = [];

  beforeAll(async () => {
    chromium = await launchChromium(PHONE);
    ({ database, drop } = await openTestDatabase());
    // Long enough that each page first shows the payment pending and its script has to ask for the outcome.
    simulator = (await startSimulator({ delayMs: 1500 })).listening;
    payme = await startPayMe({ database, simulatorUrl: simulator.url });
    mkdirSync(SCREENSHOTS, { recursive: true });
    page = await chromium.context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.endsWith("/status")) {
        statusCalls.push(`${response.status()} ${new URL(response.url()).pathname}`);
      }
    });
  });

  afterAll(async () => {
    await chromium?.close();
    await payme?.stop();
    await simulator?.close();
    await drop?.();
  });

  /**
   * Photographs the page and checks that it fits the phone's width, that its inline stylesheet was applied (a
   * CSP violation would leave it unstyled) and that it logged no error. `expectedStatus` is the page's own
   * status when it is a refused form, which Chromium reports on the console as a failed load.
   */
  const checkPage = async (name: string, expectedStatus?: number) => {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    // Strings, not functions: the tests are compiled without the DOM library.
    const overflow = Number(
      await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
    );
    expect(overflow, `${name} is wider than ${PHONE.width} px`).toBeLessThanOrEqual(0);
    const bar = await page.evaluate('getComputedStyle(document.querySelector("header.bar")).backgroundColor');
    expect(bar, `${name} is unstyled`).toBe("rgb(10, 107, 61)");
    const unexpected = problems.filter(
      (problem) =>
        expectedStatus === undefined ||
        !problem.includes(`the server responded with a status of ${expectedStatus}`),
    );
    expect(unexpected, `${name} logged errors`).toEqual([]);
    problems.length = 0;
    expect(await seriousViolations(page), `${name}: accessibility`).toEqual([]);
  };

  it("takes a new user from sign-up to a paid sale", { timeout: 60_000 }, async () => {
    const email = `shop-${Date.now().toString(36)}@example.com`;

    await page.goto(`${payme.baseUrl}/sign-up`);
    await checkPage("01-sign-up");
    await page.getByLabel("Your name").fill("Wanjiru Kamau");
    await page.getByLabel("Business name").fill("Mama Mboga");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("sukuma-wiki-2026");
    await page.getByLabel("Phone number").fill("0712 345 678");
    await page.getByRole("button", { name: "Create account" }).click();

    // Sign-up lands on the seed's setupUrl.
    await page.waitForURL("**/setup/payment-method");
    await checkPage("02-setup-payment-method");
    await page.getByLabel("Till number", { exact: false }).first().check();
    await page.locator("#field-shortcode").fill("5123456");
    await page.getByLabel("Passkey").fill("bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919");
    await page.getByRole("button", { name: "Save payment method" }).click();

    await page.waitForURL(/\/setup\/payment-method\?business=.+#step-2$/);
    await expect.poll(() => page.locator("dl.summary").textContent()).toContain("5123456");
    expect(await page.content()).not.toContain(
      "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919",
    );
    await checkPage("03-setup-saved");
    await expect.poll(() => page.locator("#field-phone").inputValue()).toBe("0712345678");
    await page.getByRole("button", { name: "Send KES 1 test payment" }).click();

    // The page asks its status endpoint until the push is paid, then shows the config verified.
    await page.locator("p.alert.ok", { hasText: "Verified" }).waitFor({ timeout: 15_000 });
    expect(await page.locator("#verification-status").getAttribute("data-status")).toBe("paid");
    expect(statusCalls.some((call) => call.startsWith("200 /setup/payment-method/status"))).toBe(true);
    await checkPage("04-verified");

    await page.getByRole("link", { name: "Go to your dashboard" }).click();
    await page.waitForURL(/\/dashboard\?business=/);
    await checkPage("05-dashboard");

    await page.locator("#buy-amount").fill("100");
    await page.getByRole("button", { name: "Buy tokens" }).click();
    await page.locator('[data-balance="100"]').waitFor({ timeout: 15_000 });
    expect(await page.locator("#purchase-status").getAttribute("data-status")).toBe("paid");
    expect(statusCalls.some((call) => call.startsWith("200 /dashboard/purchases/"))).toBe(true);
    await checkPage("06-tokens-bought");

    await page.locator("#product-name").fill("Sukuma wiki bunch");
    await page.locator("#product-price").fill("30");
    await page.locator("#product-stock").fill("5");
    await page.getByRole("button", { name: "Add product" }).click();
    const product = page.locator("li[data-product]", { hasText: "Sukuma wiki bunch" });
    await product.waitFor();
    expect(await product.locator("[data-stock]").getAttribute("data-stock")).toBe("5");
    await checkPage("07-product-added");

    await page.locator("#charge-phone").fill("0722 000 111");
    await page.getByLabel("How many Sukuma wiki bunch").fill("2");
    await page.getByRole("button", { name: "Send payment prompt" }).click();
    await page.waitForURL(/sale=/);
    await page.locator('#sale-status[data-status="paid"]').waitFor({ timeout: 15_000 });
    expect(await page.locator("#sale-status").textContent()).toContain("KES 60");
    const sale = page.locator("#sales li").first();
    expect(await sale.locator(".badge").textContent()).toBe("Paid");
    expect(await sale.textContent()).toContain("2 × Sukuma wiki bunch");
    expect(await product.locator("[data-stock]").getAttribute("data-stock")).toBe("3");
    expect(statusCalls.some((call) => call.startsWith("200 /dashboard/sales/"))).toBe(true);
    await checkPage("08-sale-paid");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/sign-in?signed-out");
    await checkPage("09-signed-out");

    // Back in with a wrong password, then the right one: the user goes straight to the dashboard.
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "The email or the password is wrong." }).waitFor();
    await checkPage("10-sign-in-refused", 400);
    await page.getByLabel("Password").fill("sukuma-wiki-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/dashboard");
    expect(await page.locator("[data-balance]").getAttribute("data-balance")).toBe("100");
  });
});
