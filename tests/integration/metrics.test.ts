import { describe, expect, it } from "vitest";
import { eventually, payMeSuite } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

/** The value of one sample in Prometheus text, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) {
      continue;
    }
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) {
      return Number(line.split(" ").at(-1));
    }
  }
  return 0;
}

describe("/metrics", () => {
  // The callback comes a second after the push, so the scrape taken right after initiating sees it pending even
  // on a busy machine.
  const suite = payMeSuite({ delayMs: 1000 });

  const scrape = async () => {
    const response = await suite.payme.app.request("/metrics");
    expect(response.headers.get("content-type")).toContain("text/plain");
    return response.text();
  };

  it("shows the payment counters, Daraja calls and the backlog moving after a purchase", async () => {
    const before = await scrape();
    const user = await signUpThroughApi(suite.payme.app);
    const started = await suite.payme.app.request(
      "/api/wallet-payment/initiate",
      jsonRequest("POST", { phone: "0712345678", amount: 40 }, user.token),
    );
    const { purchase } = (await started.json()) as { purchase: { id: string } };
    const during = await scrape();
    expect(sample(during, "payme_pending_payments", { kind: "wallet_purchase" })).toBeGreaterThanOrEqual(1);
    await eventually(async () => {
      const { purchase: current } = (await (
        await suite.payme.app.request(`/api/wallet-payment/${purchase.id}`, bearer(user.token))
      ).json()) as {
        purchase: { status: string };
      };
      return current.status === "paid" ? true : undefined;
    });
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta("payme_payments_initiated_total", { kind: "wallet_purchase" })).toBe(1);
    expect(
      delta("payme_payments_settled_total", { kind: "wallet_purchase", status: "paid", source: "callback" }),
    ).toBe(1);
    expect(delta("payme_settlement_lag_seconds_count", { kind: "wallet_purchase", source: "callback" })).toBe(
      1,
    );
    expect(delta("payme_daraja_call_duration_seconds_count", { operation: "stk_push", outcome: "ok" })).toBe(
      1,
    );
    expect(
      delta("payme_http_requests_total", {
        method: "POST",
        route: "/api/wallet-payment/initiate",
        status: "202",
        // By credential kind and role, never by user: the wallet is a user's own (role "user").
        credential: "jwt",
        role: "user",
      }),
    ).toBe(1);
    expect(after).not.toContain(user.userId);
    expect(sample(after, "payme_pending_payments", { kind: "wallet_purchase" })).toBe(0);
    expect(after).toContain("payme_oldest_pending_payment_age_seconds");
  });

  it("counts Daraja failures by type", async () => {
    const before = await scrape();
    const user = await signUpThroughApi(suite.payme.app);
    await suite.payme.app.request(
      "/api/wallet-payment/initiate",
      jsonRequest("POST", { phone: "254700000007", amount: 10 }, user.token),
    );
    const after = await scrape();
    const labels = { operation: "stk_push", type: "subscriber_busy" };
    expect(
      sample(after, "payme_daraja_call_failures_total", labels) -
        sample(before, "payme_daraja_call_failures_total", labels),
    ).toBe(1);
    expect(
      sample(after, "payme_payments_settled_total", {
        kind: "wallet_purchase",
        status: "failed",
        source: "refused",
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe("/metrics with METRICS_TOKEN set", () => {
  const TOKEN = "metrics-token-for-tests-0123456789abcdef";
  const { app } = testApp({ env: { METRICS_TOKEN: TOKEN } });
  const scrape = (authorization?: string) =>
    app.request("/metrics", authorization === undefined ? {} : { headers: { Authorization: authorization } });

  it("answers the right bearer token with the metrics", async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toContain("payme_http_requests_total");
    expect((await scrape(`bearer ${TOKEN}`)).status).toBe(200);
  });

  it("refuses everyone else with a 401 problem, and shows them no metric", async () => {
    for (const authorization of [
      undefined,
      "",
      "Bearer",
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Basic ${Buffer.from(`metrics:${TOKEN}`).toString("base64")}`,
      TOKEN,
      `Bearer ${TOKEN} ${TOKEN}`,
    ]) {
      const response = await scrape(authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ status: 401, code: "unauthorized" });
      expect(body).not.toContain("payme_");
      expect(body).not.toContain(TOKEN);
    }
  });

  it("stays public while METRICS_TOKEN is unset", async () => {
    const open = testApp();
    expect((await open.app.request("/metrics")).status).toBe(200);
  });
});
