import { afterEach, describe, expect, it } from "vitest";
import { type ServerProcess, startServer, untilHealthy } from "../support/server-process.ts";

describe("the real server, as a new user starts it", () => {
  let server: ServerProcess | null = null;
  afterEach(() => {
    server?.cleanup();
    server = null;
  });

  it("serves /health and /ready on embedded PGlite with no database server, and stops cleanly on SIGTERM", async () => {
    server = await startServer();
    await untilHealthy(server);
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get("x-request-id")).toBeTruthy();
    const ready = await fetch(`${server.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    const missing = await fetch(`${server.baseUrl}/no-such-page`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    // Refused by Node's HTTP parser before any route: still a problem document.
    const oversized = await fetch(`${server.baseUrl}/health`, {
      headers: { "X-Filler": "x".repeat(20_000) },
    });
    expect(oversized.status).toBe(431);
    expect(oversized.headers.get("content-type")).toBe("application/problem+json");
    expect(await oversized.json()).toMatchObject({ status: 431, code: "headers_too_large" });

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const events = server
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string });
    expect(events.map((e) => e.msg)).toContain("migrations applied");
    expect(events.map((e) => e.msg)).toContain("stopped");
  });

  // Two starts, the first on a fresh PGlite: more than the default 30 s on a busy machine.
  it("keeps a development JWT secret under DATA_DIR, so a token survives a restart", {
    timeout: 90_000,
  }, async () => {
    server = await startServer();
    await untilHealthy(server);
    const signUp = await fetch(`${server.baseUrl}/auth/sign-up`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        email: "restart@example.com",
        password: "kept-across-a-reboot",
        name: "Restart",
      }),
    });
    expect(signUp.status).toBe(201);
    const { token } = (await signUp.json()) as { token: string };
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    const again = await startServer({ DATA_DIR: server.dataDir });
    const first = server;
    server = again;
    await untilHealthy(again);
    const me = await fetch(`${again.baseUrl}/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    again.child.kill("SIGTERM");
    await again.exited;
    first.cleanup();
  });

  it.each([
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "http" }],
    ["DATABASE_URL", { DATABASE_URL: "postgres//missing-colon" }],
    ["MPESA_CALLBACK_URL", { MPESA_ENV: "production" }],
  ])("refuses to start with a malformed %s, in one line naming it", async (variable, env) => {
    server = await startServer(env);
    expect(await server.exited).not.toBe(0);
    const lines = server.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  });
});
