import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/main/config.ts";
import { loadSecrets } from "../../src/main/development-secrets.ts";

const dirs: string[] = [];
const configWith = (env: Record<string, string>) => {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    throw new Error(JSON.stringify(loaded.issues));
  }
  return loaded.config;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("development secrets", () => {
  it("generates a JWT secret once, keeps it under DATA_DIR for the owner only, and reuses it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "payme-secrets-"));
    dirs.push(dataDir);
    const first = await loadSecrets(configWith({ DATA_DIR: dataDir }));
    const second = await loadSecrets(configWith({ DATA_DIR: dataDir }));
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(statSync(join(dataDir, "secrets", "jwt-secret")).mode & 0o777).toBe(0o600);
  });

  it("uses JWT_SECRET when it is set, and refuses one shorter than 32 bytes", async () => {
    const secret = "an-operator-chosen-secret-of-32-bytes-or-more";
    expect((await loadSecrets(configWith({ JWT_SECRET: secret }))).jwtSecret).toBe(secret);
    const short = loadConfig({ JWT_SECRET: "too-short" });
    expect(!short.ok && short.issues.map((i) => i.variable)).toEqual(["JWT_SECRET"]);
  });

  it("stops a production start without JWT_SECRET", () => {
    const loaded = loadConfig({ MPESA_ENV: "production" });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.issues.find((i) => i.variable === "JWT_SECRET")?.message).toMatch(
      /must be set/,
    );
  });
});
