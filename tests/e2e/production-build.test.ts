import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServer, untilHealthy } from "../support/server-process.ts";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * `npm run build`'s output, made once for this file in a directory of its own under test-output/ (never dist/;
 * inside the project, so that node finds node_modules as it does from dist/), run as
 * `npm run start:prod` runs it: plain node, no TypeScript loader. The rest of the suite tests the sources.
 */
describe("the production build", () => {
  mkdirSync(join(ROOT, "test-output"), { recursive: true });
  const out = mkdtempSync(join(ROOT, "test-output", "build-"));
  const dataDir = mkdtempSync(join(tmpdir(), "payme-build-data-"));
  let server: ServerProcess | null = null;
  beforeAll(async () => {
    await run(join(ROOT, "scripts/build.sh"), [], { cwd: ROOT, env: { ...process.env, BUILD_OUT_DIR: out } });
  }, 240_000);
  afterAll(() => {
    server?.cleanup();
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("compiles every module to JavaScript whose relative imports name .js files, with the certificates beside", () => {
    const entry = readFileSync(join(out, "main/server.js"), "utf8");
    expect(entry).toMatch(/from "\.\/container\.js"/);
    expect(entry).not.toMatch(/from "\.[^"]*\.tsx?"/);
    expect(existsSync(join(out, "adapters/daraja/certs/sandbox.cer"))).toBe(true);
  });

  it("migrates with migrate:prod's entry, then starts with plain node and signs a user up", {
    timeout: 120_000,
  }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const migrated = await run(process.execPath, [join(out, "main/migrate.js")], { cwd: ROOT, env });
    expect(migrated.stdout).toMatch(/applied to .*migration-20261126074840-initial-schema/);

    const scripts = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts["start:prod"]).not.toMatch(/tsx|--import|--loader/);
    server = await startServer({ DATA_DIR: dataDir }, [join(out, "main/server.js")]);
    await untilHealthy(server);
    const signUp = await fetch(`${server.baseUrl}/auth/sign-up`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "built@example.com", password: "finish-in-flight-first", name: "Bea" }),
    });
    expect({ status: signUp.status, body: await signUp.json() }).toMatchObject({
      status: 201,
      body: { user: { email: "built@example.com" } },
    });
    expect(server.stdout()).toContain("database schema is up to date");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
