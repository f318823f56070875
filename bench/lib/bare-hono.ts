import { serve } from "@hono/node-server";
import { Hono } from "hono";

/**
 * The bench's first baseline: a bare Hono route on @hono/node-server, in a process of its own like PayMe, so that
 * the figure says what this machine can serve at all. It tells its parent its URL over IPC.
 */
const app = new Hono();
app.get("/", (c) => c.json({ status: "ok" }));
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  process.send?.({ type: "listening", url: `http://127.0.0.1:${info.port}` });
});
process.on("disconnect", () => server.close(() => process.exit(0)));
