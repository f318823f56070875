import { afterEach, describe, expect, it } from "vitest";
import { createDarajaSimulator } from "../../src/adapters/daraja-simulator/create-daraja-simulator.ts";
import type { ListeningSimulator } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { eventually } from "../support/payme-server.ts";
import { type ServerProcess, startServer, untilHealthy } from "../support/server-process.ts";

describe("graceful shutdown", () => {
  let server: ServerProcess | null = null;
  let listening: ListeningSimulator | null = null;
  afterEach(async () => {
    server?.cleanup();
    await listening?.close();
  });

  it("finishes a request in flight when SIGTERM arrives, then exits 0", async () => {
    const simulator = createDarajaSimulator({ delayMs: 600_000 });
    listening = await simulator.listen(0);
    server = await startServer({ MPESA_BASE_URL: listening.url, SHUTDOWN_DRAIN_SECONDS: "0" });
    await untilHealthy(server);
    const signUp = await fetch(`${server.baseUrl}/auth/sign-up`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        email: "graceful@example.com",
        password: "finish-in-flight-first",
        name: "Grace",
      }),
    });
    const { token } = (await signUp.json()) as { token: string };

    // Daraja answers the push slowly: the request is still in flight when the signal comes.
    simulator.injectFault({ api: "stk_push", delayMs: 1500 });
    const inFlight = fetch(`${server.baseUrl}/api/wallet-payment/initiate`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ phone: "0712345678", amount: 20 }),
    });
    await eventually(async () => (simulator.stats().requests.stk_push > 0 ? true : undefined));
    server.child.kill("SIGTERM");

    const response = await inFlight;
    expect(response.status).toBe(202);
    expect(
      ((await response.json()) as { purchase: { checkoutRequestId: string | null } }).purchase
        .checkoutRequestId,
    ).toMatch(/^ws_CO_/);
    expect(await server.exited).toBe(0);
    const messages = server
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages.indexOf("shutting down: no new connections, finishing requests in flight")).toBeLessThan(
      messages.lastIndexOf("request"),
    );
    expect(messages.at(-1)).toBe("stopped");
  });

  it("on SIGTERM, /ready answers 503 for SHUTDOWN_DRAIN_SECONDS while requests are still served, then it exits 0", {
    timeout: 90_000,
  }, async () => {
    const simulator = createDarajaSimulator({ delayMs: 600_000 });
    listening = await simulator.listen(0);
    server = await startServer({ MPESA_BASE_URL: listening.url, SHUTDOWN_DRAIN_SECONDS: "3" });
    await untilHealthy(server);
    const base = server.baseUrl;
    expect((await fetch(`${base}/ready`)).status).toBe(200);

    server.child.kill("SIGTERM");
    const notReady = await eventually(async () => {
      const ready = await fetch(`${base}/ready`);
      return ready.status === 503 ? ready : undefined;
    });
    expect(await notReady.json()).toMatchObject({ status: 503, code: "not_ready" });
    // Still serving while the balancer takes it out: a sign-up (a write) succeeds, and says the connection ends.
    const signUp = await fetch(`${base}/auth/sign-up`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        email: "draining@example.com",
        password: "finish-in-flight-first",
        name: "Dee",
      }),
    });
    expect({ status: signUp.status, body: await signUp.json() }).toMatchObject({ status: 201 });
    expect(signUp.headers.get("connection")).toBe("close");
    expect((await fetch(`${base}/health`)).status).toBe(200);

    expect(await server.exited).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});
