import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort } from "../../bench/lib/processes.ts";

export { freePort };

export type ServerProcess = {
  readonly child: ChildProcessWithoutNullStreams;
  readonly baseUrl: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  readonly dataDir: string;
  cleanup(): void;
};

/**
 * Starts `npm start`'s command (the real server) in a child process with its own data directory and port.
 * DATABASE_URL is removed unless given, so the server runs on embedded PGlite as for a new user.
 */
export async function startServer(
  env: Record<string, string> = {},
  /** Node's arguments: the sources through tsx unless told otherwise (the production build's entry point). */
  command: readonly string[] = ["--import", "tsx", "src/main/server.ts"],
): Promise<ServerProcess> {
  const port = env.PORT === undefined ? await freePort() : Number(env.PORT);
  const ownDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), "payme-e2e-"));
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== "DATABASE_URL") {
      childEnv[key] = value;
    }
  }
  const child = spawn(process.execPath, [...command], {
    env: { ...childEnv, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "info", ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    dataDir,
    cleanup: () => {
      if (child.exitCode === null) {
        child.kill("SIGKILL");
      }
      if (ownDataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Waits until the server says it listens and answers /health, or fails with what it printed. The port is free when
 * picked but taken only when the server binds it: until the server's own line, an answer may come from another
 * process that took the port meanwhile (and the server then stops with EADDRINUSE, which fails here).
 */
export async function untilHealthy(server: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`server exited with ${server.child.exitCode}: ${server.stderr()}${server.stdout()}`);
    }
    if (!server.stdout().includes('"PayMe listening on')) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      const response = await fetch(`${server.baseUrl}/health`);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server did not become healthy: ${server.stderr()}${server.stdout()}`);
}
