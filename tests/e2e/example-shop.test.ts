import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPayMeClient } from "../../clients/typescript/src/index.ts";
import { eventually } from "../support/payme-server.ts";
import { freePort, type ServerProcess, startServer, untilHealthy } from "../support/server-process.ts";

const SANDBOX_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

/**
 * examples/shop, run as its README says, against the real server (`npm start`'s command, with the simulator):
 * it charges with the typed client, and an order turns `paid` only through PayMe's verified `sale.paid` webhook.
 */
describe("the example shop backend", () => {
  let server: ServerProcess;
  let shop: ChildProcessWithoutNullStreams | null = null;
  let shopOutput = "";

  beforeAll(async () => {
    server = await startServer({ WEBHOOK_POLL_MS: "50", SIMULATOR_DELAY_MS: "200" });
    await untilHealthy(server);
  });
  afterAll(() => {
    shop?.kill("SIGKILL");
    server?.cleanup();
  });

  it("creates a sale with the client and marks its order paid from the signed webhook", async () => {
    const anonymous = createPayMeClient({ baseUrl: server.baseUrl });
    const signUp = await anonymous.POST("/auth/sign-up", {
      body: { email: "shop@example.com", password: "mandazi-na-chai-2026", name: "Shop" },
    });
    const owner = createPayMeClient({ baseUrl: server.baseUrl, credential: signUp.data?.token ?? "" });
    const businessId = signUp.data?.business.id ?? "";
    await owner.POST("/api/payment-config/setup", {
      body: {
        businessId,
        paymentMethod: "paybill",
        shortcode: "174379",
        passkey: SANDBOX_PASSKEY,
        accountReference: "SHOP1",
        accountName: "Shop",
      },
    });
    await owner.POST("/api/payment-config/verify", { body: { businessId, phone: "0712345678" } });
    await eventually(async () => {
      const { data } = await owner.GET("/api/payment-config", { params: { query: { businessId } } });
      return data?.config.verified === true ? true : undefined;
    }, 20_000);
    const key = await owner.POST("/api/businesses/{businessId}/api-keys", {
      params: { path: { businessId } },
      body: { name: "shop" },
    });
    const shopPort = await freePort();
    const endpoint = await owner.POST("/api/businesses/{businessId}/webhook-endpoints", {
      params: { path: { businessId } },
      body: { url: `http://127.0.0.1:${shopPort}/webhooks/payme`, events: ["sale.paid"] },
    });
    expect(endpoint.response.status).toBe(201);

    shop = spawn(process.execPath, ["--import", "tsx", "examples/shop/server.ts"], {
      env: {
        ...process.env,
        PAYME_URL: server.baseUrl,
        PAYME_API_KEY: key.data?.secret ?? "",
        PAYME_WEBHOOK_SECRET: endpoint.data?.secret ?? "",
        PORT: String(shopPort),
      },
    });
    shop.stdout.on("data", (chunk: Buffer) => {
      shopOutput += chunk.toString();
    });
    shop.stderr.on("data", (chunk: Buffer) => {
      shopOutput += chunk.toString();
    });
    await eventually(async () => (shopOutput.includes("shop listening") ? true : undefined), 30_000);
    const shopUrl = `http://127.0.0.1:${shopPort}`;

    // A forged webhook is refused.
    const forged = await fetch(`${shopUrl}/webhooks/payme`, {
      method: "POST",
      headers: { "webhook-id": "msg_x", "webhook-timestamp": String(Math.floor(Date.now() / 1000)) },
      body: JSON.stringify({ type: "sale.paid", data: { object: { id: "x" } } }),
    });
    expect(forged.status).toBe(400);

    const ordered = await fetch(`${shopUrl}/orders`, {
      method: "POST",
      body: JSON.stringify({ phone: "0712345678", amount: 150 }),
    });
    expect(ordered.status).toBe(201);
    const { orderId, saleId } = (await ordered.json()) as { orderId: string; saleId: string };
    expect(await (await fetch(`${shopUrl}/orders/${orderId}`)).json()).toMatchObject({
      saleId,
      status: "awaiting payment",
    });
    const paid = await eventually(async () => {
      const order = (await (await fetch(`${shopUrl}/orders/${orderId}`)).json()) as { status: string };
      return order.status === "paid" ? order : undefined;
    }, 30_000);
    expect(paid).toMatchObject({ saleId, status: "paid" });
  }, 120_000);
});
