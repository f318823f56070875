import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Which packages a fresh process has loaded after reaching Daraja as the server does at start: node-forge is the
 * in-process simulator's alone (its credential decryption), so it shows whether the simulator's code was loaded.
 * A process of its own, since this test runner has loaded everything already.
 */
async function loadedAfterConnecting(env: Record<string, string>): Promise<string[]> {
  const script = `
    import { createRequire } from "node:module";
    import { loadConfig } from "./src/main/config.ts";
    import { connectDaraja } from "./src/main/daraja-connection.ts";
    const loaded = loadConfig(process.env);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const quiet = { info() {}, warn() {}, error() {}, debug() {} };
    const daraja = await connectDaraja(loaded.config, quiet);
    const packages = Object.keys(createRequire(import.meta.url).cache)
      .map((path) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(path)?.[1])
      .filter(Boolean);
    console.log(JSON.stringify([...new Set(packages)]));
    await daraja.stop();
  `;
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "--eval", script],
    {
      cwd: ROOT,
      env: { ...inherited, MPESA_ENV: "simulator", LOG_LEVEL: "silent", ...env },
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]") as string[];
}

describe("what the server loads at start", () => {
  it("leaves the in-process Daraja simulator unloaded when Daraja is elsewhere", async () => {
    const loaded = await loadedAfterConnecting({ MPESA_BASE_URL: "http://127.0.0.1:9" });
    expect(loaded).not.toContain("node-forge");
  });

  it("loads it when it runs in the process", async () => {
    const loaded = await loadedAfterConnecting({});
    expect(loaded).toContain("node-forge");
  });
});
