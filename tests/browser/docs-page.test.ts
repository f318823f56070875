import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListeningSimulator } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { browserAvailable, type Chromium, launchChromium } from "../support/chromium.ts";
import { type RunningPayMe, startPayMe, startSimulator } from "../support/payme-server.ts";
import { openTestDatabase } from "../support/test-database.ts";

describe.runIf(browserAvailable())("/docs in a browser", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let simulator: ListeningSimulator;
  let payme: RunningPayMe;
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await launchChromium({ width: 1280, height: 900 });
    ({ database, drop } = await openTestDatabase());
    simulator = (await startSimulator()).listening;
    payme = await startPayMe({ database, simulatorUrl: simulator.url });
  });
  afterAll(async () => {
    await chromium?.close();
    await payme?.stop();
    await simulator?.close();
    await drop?.();
  });

  it("renders every operation with nothing fetched from outside PayMe", async () => {
    const page = await chromium.context.newPage();
    const origin = new URL(payme.baseUrl).origin;
    const foreign: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.origin !== origin && url.protocol !== "data:") {
        foreign.push(request.url());
      }
    });
    await page.goto(`${payme.baseUrl}/docs`);
    await page.waitForSelector(".opblock", { timeout: 15_000 });
    const operations = await page.locator(".opblock").count();
    const document = (await (await payme.app.request("/openapi.json")).json()) as {
      paths: Record<string, object>;
    };
    const documented = Object.values(document.paths).reduce(
      (sum, operationsOfPath) => sum + Object.keys(operationsOfPath).length,
      0,
    );
    expect(operations).toBe(documented);
    expect(await page.locator(".info .title").textContent()).toContain("PayMe API");
    expect(foreign).toEqual([]);
    await page.close();
  });
});
