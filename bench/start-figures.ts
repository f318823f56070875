import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, memoryOf, sleep } from "./lib/processes.ts";

/**
 * `node --import tsx bench/start-figures.ts [runs]`: start time (spawn to the first 200 from /ready) and resident
 * memory (at ready, and after 200 requests) of `npm start`'s command and of `npm run start:prod`'s (run `npm run
 * build` first), on DATABASE_URL (default the local PostgreSQL). Medians of `runs` starts each (default 5).
 */
const runs = Number(process.argv[2] ?? "5");
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const flags = ["--max-old-space-size=128", "--no-liftoff"];
const commands = {
  "npm start (tsx)": [...flags, "--import", "tsx", "src/main/server.ts"],
  "npm run start:prod (dist)": [...flags, "--enable-source-maps", "dist/main/server.js"],
};

async function once(args: readonly string[]) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "payme-start-"));
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      break;
    }
    await sleep(20);
  }
  const readyMs = performance.now() - started;
  const atReady = memoryOf(child.pid ?? 0)?.rssMb ?? 0;
  for (let i = 0; i < 200; i += 1) {
    await fetch(`http://127.0.0.1:${port}/openapi.json`).then((r) => r.arrayBuffer());
  }
  const afterLoad = memoryOf(child.pid ?? 0)?.rssMb ?? 0;
  await new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGKILL");
  });
  rmSync(dataDir, { recursive: true, force: true });
  return { readyMs, atReady, afterLoad };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
for (const [name, args] of Object.entries(commands)) {
  const results = [];
  for (let i = 0; i < runs; i += 1) {
    results.push(await once(args));
  }
  console.log(
    `${name}: ready in ${median(results.map((r) => r.readyMs)).toFixed(0)} ms, RSS ${median(results.map((r) => r.atReady)).toFixed(0)} MB at ready, ${median(results.map((r) => r.afterLoad)).toFixed(0)} MB after 200 requests (medians of ${runs})`,
  );
}
