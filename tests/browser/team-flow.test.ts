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
const PHONE = { width: 360, height: 740 };
const PASSWORD = "sukuma-wiki-2026";

/**
 * An owner invites a cashier from the Team page; the cashier signs up through the link (joining the shop, with
 * no business of their own), charges a customer, and is refused the payment-method page.
 */
describe.runIf(browserAvailable())("a cashier, invited in the browser", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let simulator: ListeningSimulator;
  let payme: RunningPayMe;
  let chromium: Chromium;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    chromium = await launchChromium(PHONE);
    ({ database, drop } = await openTestDatabase());
    simulator = (await startSimulator({ delayMs: 500 })).listening;
    payme = await startPayMe({
      database,
      simulatorUrl: simulator.url,
      env: { ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true" },
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    page = await chromium.context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await chromium?.close();
    await payme?.stop();
    await simulator?.close();
    await drop?.();
  });

  const api = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${payme.baseUrl}${path}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
    return (await response.json()) as Record<string, unknown>;
  };

  it("invites, signs up through the link, charges, and is kept off the payment settings", {
    timeout: 60_000,
  }, async () => {
    const ownerEmail = `owner-${Date.now().toString(36)}@example.com`;
    const cashierEmail = `cashier-${Date.now().toString(36)}@example.com`;
    const owner = await api("/auth/sign-up", {
      email: ownerEmail,
      password: PASSWORD,
      name: "Wanjiru Kamau",
      businessName: "Mama Mboga",
    });
    await api(
      "/api/payment-config/setup",
      {
        paymentMethod: "till",
        shortcode: "5123456",
        passkey: "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919",
        accountName: "Mama Mboga",
      },
      String(owner.token),
    );

    // The owner signs in and invites a cashier from the Team page.
    await page.goto(`${payme.baseUrl}/sign-in`);
    await page.getByLabel("Email").fill(ownerEmail);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/dashboard**");
    await page.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL("**/settings**");
    await page.getByRole("link", { name: "Team" }).click();
    await page.waitForURL("**/team**");
    await page.locator("#member-email").fill(cashierEmail);
    await page.locator("#member-role").selectOption("cashier");
    await page.getByRole("button", { name: "Add" }).click();
    const link = await page.locator("#invite-url").inputValue();
    expect(link).toContain("/sign-up?invitation=");
    await page.screenshot({ path: join(SCREENSHOTS, "team-01-invited.png"), fullPage: true });
    expect(await seriousViolations(page), "team-01-invited: accessibility").toEqual([]);
    expect(await page.locator("#invitations").textContent()).toContain(cashierEmail);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/sign-in?signed-out");

    // The cashier follows the link: no business name to give, and they land on the shop's dashboard.
    await page.goto(link);
    expect(await page.getByLabel("Business name").count()).toBe(0);
    await page.getByLabel("Your name").fill("Otieno Till");
    await page.getByLabel("Email").fill(cashierEmail);
    await page.getByLabel("Password").fill("mandazi-na-chai-2026");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/dashboard\?business=/);
    expect(await page.locator("h1").textContent()).toBe("Mama Mboga");
    expect(await page.locator("[data-role]").getAttribute("data-role")).toBe("cashier");
    // The page offers nothing the role may not do.
    expect(await page.getByRole("link", { name: "Payment method" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Team" }).count()).toBe(0);
    expect(await page.getByText("Add a product").count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, "team-02-cashier-dashboard.png"), fullPage: true });
    expect(await seriousViolations(page), "team-02-cashier-dashboard: accessibility").toEqual([]);

    await page.locator("#charge-phone").fill("0722 000 111");
    await page.locator("#charge-amount").fill("50");
    await page.getByRole("button", { name: "Send payment prompt" }).click();
    await page.waitForURL(/sale=/);
    await page.locator('#sale-status[data-status="paid"]').waitFor({ timeout: 15_000 });
    expect(await page.locator("#sale-status").textContent()).toContain("KES 50");

    // And the server refuses the payment method page anyway.
    const refused = await page.goto(`${payme.baseUrl}/setup/payment-method`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Not allowed");
    await page.screenshot({ path: join(SCREENSHOTS, "team-03-cashier-refused.png"), fullPage: true });
    expect(await seriousViolations(page), "team-03-cashier-refused: accessibility").toEqual([]);
    expect(problems).toEqual([]);
  });
});
