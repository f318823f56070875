// A minimal shop backend on PayMe: it charges a customer with the typed client, and learns that the sale was
// paid from PayMe's signed `sale.paid` webhook, verified with the Standard Webhooks library.
import { createServer } from "node:http";
import { createPayMeClient, idempotencyKey } from "@payme/client";
import { Webhook } from "standardwebhooks";

const env = (name: string) => process.env[name] ?? "";
const payme = createPayMeClient({ baseUrl: env("PAYME_URL"), credential: env("PAYME_API_KEY") });
const webhook = new Webhook(env("PAYME_WEBHOOK_SECRET"));
const orders = new Map<string, { saleId: string; status: "awaiting payment" | "paid" }>();

const read = async (request: AsyncIterable<Buffer>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
};

createServer(async (request, response) => {
  const reply = (status: number, body: unknown) =>
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const body = await read(request);

  if (request.method === "POST" && request.url === "/orders") {
    const { phone, amount } = JSON.parse(body) as { phone: string; amount: number };
    const { data, error } = await payme.POST("/api/sales/payment", {
      params: { header: { "Idempotency-Key": idempotencyKey() } },
      body: { phone, amount, description: "Shop order" },
    });
    if (error) return reply(502, { error: error.code });
    const orderId = crypto.randomUUID();
    orders.set(orderId, { saleId: data.sale.id, status: "awaiting payment" });
    return reply(201, { orderId, saleId: data.sale.id });
  }

  if (request.method === "GET" && request.url?.startsWith("/orders/")) {
    const order = orders.get(request.url.slice("/orders/".length));
    return order ? reply(200, order) : reply(404, { error: "no such order" });
  }

  if (request.method === "POST" && request.url === "/webhooks/payme") {
    let event: { type: string; data: { object: { id: string } } };
    try {
      event = webhook.verify(body, request.headers as Record<string, string>) as typeof event;
    } catch {
      return reply(400, { error: "bad signature" }); // not from PayMe, or replayed late
    }
    for (const order of orders.values()) {
      if (event.type === "sale.paid" && order.saleId === event.data.object.id) order.status = "paid";
    }
    return reply(200, { received: true }); // answer fast: PayMe retries anything but a 2xx
  }
  reply(404, { error: "not found" });
}).listen(Number(env("PORT") || 4000), () => console.log("shop listening"));
