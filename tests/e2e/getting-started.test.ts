import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fencedBlocks } from "../support/markdown-blocks.ts";
import { type ServerProcess, startServer, untilHealthy } from "../support/server-process.ts";

const DOC = "docs/getting-started.md";

/** Runs a bash script to its end; never throws. */
function bash(script: string, options: { cwd: string; env: Record<string, string> }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Every command of the getting-started page, run in the page's order against the real server as `npm start`
 * starts it (embedded PGlite and the in-process simulator), so the page cannot rot.
 */
describe("docs/getting-started.md, run as written", () => {
  const blocks = fencedBlocks(readFileSync(DOC, "utf8"));
  const workDir = join("test-output", `getting-started-${process.pid}`);
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer();
    await untilHealthy(server);
    mkdirSync(workDir, { recursive: true });
  });
  afterAll(() => {
    server?.cleanup();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("starts the server with npm start, the command this test runs", () => {
    const start = blocks.filter((block) => block.info.join(" ") === "sh server");
    expect(start).toHaveLength(1);
    expect(start[0]?.code.trim().split("\n")).toEqual(["npm ci", "npm start"]);
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> })
      .scripts;
    // startServer runs node --import tsx src/main/server.ts, as `npm start` does.
    expect(scripts.start).toContain("--import tsx src/main/server.ts");
  });

  it("takes a new user from sign-up to a paid sale with curl, then with the typed client", async () => {
    for (const block of blocks.filter((candidate) => candidate.info[0] === "ts")) {
      const file = block.info.find((part) => part.startsWith("file="))?.slice("file=".length);
      expect(file, "every TypeScript block names the file it is saved as").toBeDefined();
      writeFileSync(join(workDir, file ?? ""), block.code);
    }
    const script = blocks
      .filter((block) => block.info.join(" ") === "sh")
      .map((block) => block.code)
      .join("\n");
    expect(script).toContain("curl");
    const run = await bash(script, { cwd: workDir, env: { PAYME: server.baseUrl } });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^business [0-9a-f-]{36}$/);
    expect(lines).toContainEqual(expect.stringMatching(/^[A-Z0-9]{10}$/));
    expect(lines.at(-1)).toMatch(/^sale [0-9a-f-]{36} is paid$/);
  }, 180_000);
});
