import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { ListeningSimulator } from "./daraja-simulator.ts";

/**
 * Serves the simulator's app over HTTP (port 0: any free port). Closing stops the server, drops its open
 * connections, then runs `afterClose` (the simulator's own shutdown).
 */
export async function serveSimulator(
  app: Hono,
  port: number,
  hostname: string,
  afterClose: () => Promise<void>,
): Promise<ListeningSimulator> {
  const { server, address } = await new Promise<{
    server: ReturnType<typeof serve>;
    address: AddressInfo;
  }>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port, hostname }, (info) =>
      resolve({ server: started, address: info }),
    );
    started.once("error", reject);
  });
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) {
          server.closeAllConnections();
        }
      });
      await afterClose();
    },
  };
}
