import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedCallback = { readonly path: string; readonly body: unknown; readonly text: string };

/**
 * A stand-in for PayMe's callback routes: a real HTTP server that records every POST and answers
 * `{"ResultCode":0,"ResultDesc":"Accepted"}`, so the simulator's callbacks can be read back.
 */
export type CallbackReceiver = {
  readonly url: string;
  received(pathPrefix?: string): readonly ReceivedCallback[];
  /** Resolves once `count` callbacks have arrived under `pathPrefix`; rejects after `timeoutMs`. */
  waitFor(pathPrefix: string, count?: number, timeoutMs?: number): Promise<readonly ReceivedCallback[]>;
  close(): Promise<void>;
};

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = { unparseable: text };
      }
      received.push({ path: request.url ?? "", body, text });
      for (const wake of waiters) {
        wake();
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ResultCode: 0, ResultDesc: "Accepted" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const under = (prefix: string) => received.filter((callback) => callback.path.startsWith(prefix));

  return {
    url: `http://127.0.0.1:${port}`,
    received: (prefix = "") => under(prefix),
    waitFor(prefix, count = 1, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (under(prefix).length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(under(prefix));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} callback(s) under ${prefix}, got ${under(prefix).length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
