import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../support/payme-server.ts";
import { type ServerProcess, startServer, untilHealthy } from "../support/server-process.ts";
import { startWebhookReceiver } from "../support/webhook-receiver.ts";

describe("webhooks across a shutdown and a restart (the real server, on embedded PGlite)", () => {
  const servers: ServerProcess[] = [];
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | null = null;
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.cleanup();
    }
    await receiver?.close();
  });

  it("an attempt cut short by SIGTERM is handed back, not counted, and delivered after the restart", {
    timeout: 120_000,
  }, async () => {
    receiver = await startWebhookReceiver();
    const hook = receiver;
    // The receiver hangs until PayMe gives up on it.
    hook.state.respond = () => undefined;
    const first = await startServer({ WEBHOOK_POLL_MS: "50" });
    servers.push(first);
    await untilHealthy(first);
    const api = async (
      server: ServerProcess,
      method: string,
      path: string,
      token?: string,
      body?: unknown,
    ) => {
      const response = await fetch(`${server.baseUrl}${path}`, {
        method,
        headers: {
          "Content-Type": "application/json",
          ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const signUp = await api(first, "POST", "/auth/sign-up", undefined, {
      email: "hooks@example.com",
      password: "hand-it-back-please",
      name: "Hooks",
    });
    const { token, business } = signUp.body as { token: string; business: { id: string } };
    const created = await api(first, "POST", `/api/businesses/${business.id}/webhook-endpoints`, token, {
      url: hook.url("/erp"),
    });
    const endpointId = (created.body as { endpoint: { id: string } }).endpoint.id;
    const ping = await api(
      first,
      "POST",
      `/api/businesses/${business.id}/webhook-endpoints/${endpointId}/test`,
      token,
    );
    const eventId = (ping.body as { event: { id: string } }).event.id;
    await eventually(async () => (hook.received.length > 0 ? true : undefined));

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    hook.state.respond = (_r, response) => response.writeHead(204).end();
    const second = await startServer({ DATA_DIR: first.dataDir, WEBHOOK_POLL_MS: "50" });
    servers.push(second);
    await untilHealthy(second);
    const deliveries = await eventually(async () => {
      const detail = await api(second, "GET", `/api/events/${eventId}`, token);
      const list = (detail.body as { deliveries: { status: string; attempt: number }[] }).deliveries;
      return list.some((d) => d.status === "delivered") ? list : undefined;
    }, 30_000);
    // The cut-short attempt left no failure behind: the first recorded attempt is the one that delivered.
    expect(deliveries).toEqual([expect.objectContaining({ endpointId, attempt: 1, status: "delivered" })]);
    expect(hook.received.filter((r) => r.headers["webhook-id"] === eventId)).toHaveLength(2);
  });
});
