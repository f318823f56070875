import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, sleep } from "./processes.ts";

/** Where Debian's haproxy package puts it (HAPROXY_BIN overrides); null when it is not installed. */
export function haproxyBinary(): string | null {
  const candidates = [
    process.env.HAPROXY_BIN,
    "/usr/sbin/haproxy",
    "/usr/bin/haproxy",
    "/usr/local/sbin/haproxy",
  ];
  return candidates.find((path): path is string => path !== undefined && existsSync(path)) ?? null;
}

export type Balancer = {
  /** http://127.0.0.1:<port>: where clients and Safaricom's callbacks go. */
  readonly url: string;
  /** The servers HAProxy has in rotation now (health check passing), by name. */
  upServers(): Promise<Set<string>>;
  /** Waits until exactly `names` (or at least them) are in rotation. */
  untilUp(names: readonly string[], timeoutMs?: number): Promise<void>;
  untilDown(name: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The balancer's settings, as the README recommends them for PayMe:
 * - health check `GET /ready` (HTTP/1.1, with a Host header) every 500 ms, 3 s to answer; three failures take a
 *   server out (an instance says 503 there at once for SHUTDOWN_DRAIN_SECONDS before it closes, so 1.5 s),
 *   two passes put it back;
 * - a fresh server connection per request (`http-server-close`), so that no request is sent on a kept-alive
 *   connection that a draining instance is closing;
 * - a request that could not be sent, or got no answer at all, goes to another server (`retry-on conn-failure
 *   empty-response`, `redispatch`): PayMe's money-moving POSTs take an Idempotency-Key and its callbacks are
 *   exactly-once, so a repeat is harmless;
 * - `X-Forwarded-For` appended (PayMe runs with TRUST_PROXY naming the balancer).
 */
export function haproxyConfig(options: {
  readonly port: number;
  readonly statsPort: number;
  readonly servers: readonly { readonly name: string; readonly port: number }[];
}): string {
  return [
    "global",
    "  maxconn 4096",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 60s",
    "  timeout server 60s",
    "  timeout queue 30s",
    // A busy instance answers /ready slowly (it waits for a pooled connection): slow is not down.
    "  timeout check 3s",
    "  retries 3",
    "  option redispatch",
    "  retry-on conn-failure empty-response",
    "  option http-server-close",
    "  option forwardfor",
    "frontend payme",
    `  bind 127.0.0.1:${options.port}`,
    "  default_backend instances",
    "backend instances",
    "  balance roundrobin",
    // HTTP/1.1 with a Host header: Node's HTTP server refuses a request without one.
    "  option httpchk",
    "  http-check send meth GET uri /ready ver HTTP/1.1 hdr Host payme",
    "  http-check expect status 200",
    "  default-server inter 500ms fall 3 rise 2",
    ...options.servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port} check`),
    "frontend stats",
    `  bind 127.0.0.1:${options.statsPort}`,
    "  stats enable",
    "  stats uri /stats",
    "",
  ].join("\n");
}

/** HAProxy in the foreground with a generated configuration in a temporary directory (never the system service). */
export async function startHaproxy(servers: readonly { name: string; port: number }[]): Promise<Balancer> {
  const binary = haproxyBinary();
  if (binary === null) {
    throw new Error("haproxy is not installed (apt-get install haproxy, or set HAPROXY_BIN)");
  }
  const directory = mkdtempSync(join(tmpdir(), "payme-haproxy-"));
  const port = await freePort();
  const statsPort = await freePort();
  const configFile = join(directory, "haproxy.cfg");
  writeFileSync(configFile, haproxyConfig({ port, statsPort, servers }));
  const child: ChildProcess = spawn(binary, ["-db", "-f", configFile], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-10_000);
  });
  const upServers = async () => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const up = new Set<string>();
    for (const line of csv.split("\n")) {
      const [proxy, name, ...rest] = line.split(",");
      if (proxy === "instances" && name !== "BACKEND" && name !== undefined && rest[15]?.startsWith("UP")) {
        up.add(name);
      }
    }
    return up;
  };
  const waitFor = async (what: string, test: (up: Set<string>) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`haproxy exited with ${child.exitCode}: ${stderr}`);
      }
      const up = await upServers().catch(() => new Set<string>());
      if (test(up)) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for haproxy to see ${what} (up: ${[...up].join(", ")})`);
      }
      await sleep(100);
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    upServers,
    untilUp: (names, timeoutMs = 60_000) =>
      waitFor(`${names.join(", ")} up`, (up) => names.every((name) => up.has(name)), timeoutMs),
    untilDown: (name, timeoutMs = 30_000) => waitFor(`${name} down`, (up) => !up.has(name), timeoutMs),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        });
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
