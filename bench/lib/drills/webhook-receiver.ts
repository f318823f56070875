import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** What the receiver saw of one event: how many successful deliveries, the first one's time and the event's. */
export type Received = { count: number; firstAt: number; createdAt: number };

export type WebhookReceiver = {
  readonly delivered: Map<string, Received>;
  readonly state: { down: boolean; attempts: number; badSignatures: number };
  /** The URL to register as the endpoint (set once `listen` has resolved). */
  url: string;
  /** The signing secret, known only once the endpoint is created. */
  secret: string;
  listen(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A local webhook receiver for the drills: verifies each signature with the `standardwebhooks` package (a bad one is
 * answered 400 and counted), fails `failShare` of the attempts at random (500), and drops every connection while
 * `state.down`. Successful deliveries are counted per event id.
 */
export function webhookReceiver(failShare = 0): WebhookReceiver {
  const delivered = new Map<string, Received>();
  const state = { down: false, attempts: 0, badSignatures: 0 };
  const hook: WebhookReceiver = {
    delivered,
    state,
    url: "",
    secret: "",
    listen: () =>
      new Promise<void>((done) =>
        server.listen(0, "127.0.0.1", () => {
          hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payme`;
          done();
        }),
      ),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      state.attempts += 1;
      if (state.down) {
        response.socket?.destroy();
        return;
      }
      if (Math.random() < failShare) {
        response.writeHead(500).end("random failure");
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      let event: { id: string; createdAt: string };
      try {
        event = new Webhook(hook.secret).verify(
          body,
          request.headers as Record<string, string>,
        ) as typeof event;
      } catch {
        state.badSignatures += 1;
        response.writeHead(400).end("bad signature");
        return;
      }
      const known = delivered.get(event.id);
      if (known === undefined) {
        delivered.set(event.id, { count: 1, firstAt: Date.now(), createdAt: Date.parse(event.createdAt) });
      } else {
        known.count += 1;
      }
      response.writeHead(204).end();
    });
  });
  return hook;
}
