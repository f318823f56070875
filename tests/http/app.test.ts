import { serve } from "@hono/node-server";
import { Client } from "undici";
import { describe, expect, it } from "vitest";
import { PORTS, SERVICES } from "../../src/main/tokens.ts";
import { jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

const appWith = (ready = true) => {
  const built = testApp({
    override: (container) => container.register(SERVICES.readiness, { useValue: async () => ready }),
  });
  return { app: built.app, log: { lines: built.logLines } };
};

describe("the HTTP skeleton", () => {
  it("answers /health with 200", async () => {
    const { app } = appWith();
    const response = await app.request("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /ready with 200 when the database answers, and 503 problem+json when it does not", async () => {
    expect((await appWith(true).app.request("/ready")).status).toBe(200);
    const down = await appWith(false).app.request("/ready");
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toBe("application/problem+json");
    expect(down.headers.get("retry-after")).toBe("5");
    expect(await down.json()).toMatchObject({ status: 503, code: "not_ready" });
  });

  it("answers 503 not_ready with Retry-After, not 500, while the database cannot be reached", async () => {
    const refused = () =>
      Promise.reject(
        Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      );
    const built = testApp({
      override: (container) =>
        container.register(PORTS.unitOfWork, { useValue: { run: refused, read: refused } }),
    });
    const response = await built.app.request("/api/businesses", {
      headers: { Authorization: "Bearer not-even-a-token" },
    });
    // A bad token is refused before the database is asked; a well-formed request that needs it gets 503.
    expect(response.status).toBe(401);
    const signUp = await built.app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email: "down@example.com", password: "a-long-enough-password", name: "Down" }),
    );
    expect(signUp.status).toBe(503);
    expect(signUp.headers.get("retry-after")).toBe("5");
    expect(await signUp.json()).toMatchObject({ status: 503, code: "not_ready" });
    expect(built.logLines().join("\n")).not.toContain("unhandled error");
  });

  it("answers unknown routes with a 404 problem document", async () => {
    const response = await appWith().app.request("/nothing-here", { method: "POST" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "/problems/not_found",
      title: "Not found",
      status: 404,
      detail: "There is no POST /nothing-here.",
      code: "not_found",
      instance: "/nothing-here",
    });
  });

  it("puts X-Request-Id on every response: the caller's own, or a fresh one", async () => {
    const { app } = appWith();
    const echoed = await app.request("/health", { headers: { "X-Request-Id": "till-42-req-7" } });
    expect(echoed.headers.get("x-request-id")).toBe("till-42-req-7");
    const fresh = await app.request("/nowhere");
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a body over 64 KiB with 413 payload_too_large", async () => {
    const response = await appWith().app.request("/health", {
      method: "POST",
      body: "x".repeat(64 * 1024 + 1),
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "payload_too_large" });
  });

  it("refuses JSON nested thousands deep with 400 malformed_request, idempotency key or not", async () => {
    const { app } = appWith();
    const user = await signUpThroughApi(app);
    for (const key of [undefined, "deep-1"]) {
      const init = jsonRequest("POST", {}, user.token);
      init.body = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
      if (key !== undefined) {
        (init.headers as Record<string, string>)["Idempotency-Key"] = key;
      }
      const response = await app.request("/api/wallet-payment/initiate", init);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "malformed_request" });
    }
  });

  it("reads an oversized body to its end before the 413, so that neither it nor the next request dies", async () => {
    const { app } = appWith();
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((listening) => server.once("listening", listening));
    const address = server.address();
    const client = new Client(`http://127.0.0.1:${typeof address === "object" ? address?.port : 0}`);
    const post = (bytes: number) =>
      client.request({ path: "/health", method: "POST", body: "x".repeat(bytes) });
    try {
      const huge = await post(2 * 1024 * 1024);
      expect([huge.statusCode, huge.headers.connection]).toEqual([413, "keep-alive"]);
      await huge.body.text();
      const next = await client.request({ path: "/health", method: "GET" });
      expect(next.statusCode).toBe(200);
      await next.body.text();
      // Past what is worth reading, the connection is closed, and the answer says so.
      const enormous = await post(9 * 1024 * 1024);
      expect([enormous.statusCode, enormous.headers.connection]).toEqual([413, "close"]);
      await enormous.body.text();
    } finally {
      await client.close();
      server.close();
    }
  });

  it("logs one JSON line per request with its request id, and masks callback tokens", async () => {
    const { app, log } = appWith();
    await app.request("/api/mpesa/callback/s3cr3t-token-value", {
      method: "POST",
      headers: { "X-Request-Id": "r-1" },
    });
    const line = log
      .lines()
      .map((l) => JSON.parse(l))
      .find((entry) => entry.msg === "request");
    expect(line).toMatchObject({
      requestId: "r-1",
      method: "POST",
      status: 400,
      path: "/api/mpesa/callback/[token]",
    });
    expect(log.lines().join("\n")).not.toContain("s3cr3t-token-value");
  });

  it("answers a trusted callback's URL, and URLs that only look like one, as the whole app does", async () => {
    const { app, log } = appWith();
    const post = (path: string, body: string) =>
      app.request(path, { method: "POST", headers: { "X-Request-Id": `r-${path.length}` }, body });
    const answered = async (path: string, body: string) => {
      const response = await post(path, body);
      const json = (await response.json()) as { status?: number; code?: string; ResultCode?: number };
      return {
        status: response.status,
        requestId: response.headers.get("x-request-id"),
        code: json.code ?? json.ResultCode,
      };
    };

    // A token path (answered by the callbacks' own app), then the same with a query or more after the token,
    // and the bare path (the whole app's): the same middleware, the same answers.
    expect(await answered("/api/mpesa/callback/s3cr3t-token", "{not json")).toEqual({
      status: 400,
      requestId: "r-32",
      code: "malformed_request",
    });
    expect(await answered("/api/mpesa/callback/s3cr3t-token?x=1", "{not json")).toMatchObject({
      status: 400,
      code: "malformed_request",
    });
    expect(await answered("/api/mpesa/callback/s3cr3t-token/more", "{}")).toMatchObject({
      status: 404,
      code: "not_found",
    });
    expect(await answered("/api/mpesa/callback", "{not json")).toMatchObject({
      status: 400,
      code: "malformed_request",
    });
    // An STK callback for no payment PayMe knows: stored, and acknowledged.
    const unknown = JSON.stringify({
      Body: { stkCallback: { MerchantRequestID: "m", CheckoutRequestID: "ws_CO_none", ResultCode: 1032 } },
    });
    expect(await answered("/api/mpesa/callback/s3cr3t-token", unknown)).toMatchObject({
      status: 200,
      code: 0,
    });
    const requests = log
      .lines()
      .map((l) => JSON.parse(l))
      .filter((entry) => entry.msg === "request");
    // The whole app names the last route its router matched, the guard of /api; the callbacks' app names theirs.
    expect(requests.map((r) => [r.route, r.status])).toEqual([
      ["/api/mpesa/callback/:token", 400],
      ["/api/*", 400],
      ["/api/*", 404],
      ["/api/*", 400],
      ["/api/mpesa/callback/:token", 200],
    ]);
    // The callback's outcome is on its request line, its only line.
    expect(requests.at(-1)).toMatchObject({ trusted: false, disposition: "unknown_payment" });
    expect(log.lines().join("\n")).not.toContain("s3cr3t-token");
  });

  it("answers an unexpected failure with a bare 500 problem, and logs it", async () => {
    const { app, log } = appWith();
    app.get("/explode", () => {
      throw new Error("SELECT secret FROM vault -- boom");
    });
    const response = await app.request("/explode");
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ code: "internal_error", status: 500 });
    expect(body).not.toContain("vault");
    expect(body).not.toContain("at ");
    expect(log.lines().some((l) => l.includes("unhandled error"))).toBe(true);
  });
});
