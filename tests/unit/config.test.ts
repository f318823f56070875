import { describe, expect, it } from "vitest";
import { describeConfigIssues, loadConfig } from "../../src/main/config.ts";

describe("configuration from the environment", () => {
  it("needs nothing to start: embedded PGlite, the simulator and the contract's defaults", () => {
    const loaded = loadConfig({});
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      const { config } = loaded;
      expect(config.port).toBe(3000);
      expect(config.database).toEqual({ kind: "pglite", dataDir: "./.data/pglite" });
      expect(config.mpesa).toMatchObject({
        environment: "simulator",
        walletShortcode: "650880",
        walletAccountReference: "37605544",
        callbackUrl: "http://localhost:3000/api/mpesa/callback",
      });
      expect([
        config.walletTokensPerKes,
        config.stockHoldSeconds,
        config.reconcileAfterSeconds,
        config.expireAfterSeconds,
      ]).toEqual([1, 300, 60, 86_400]);
      expect(config.logLevel).toBe("info");
    }
  });

  it("uses PostgreSQL when DATABASE_URL is set, and builds the callback URL on PORT", () => {
    const [a, b] = [Buffer.alloc(32, 1).toString("base64"), Buffer.alloc(32, 2).toString("base64url")];
    const loaded = loadConfig({
      DATABASE_URL: "postgres://payme@db:5432/payme",
      PORT: "8080",
      ENCRYPTION_KEYS_RETIRED: `${a}, ${b},,`,
    });
    expect(loaded.ok && loaded.config.database).toEqual({
      kind: "postgres",
      url: "postgres://payme@db:5432/payme",
    });
    expect(loaded.ok && loaded.config.mpesa.callbackUrl).toBe("http://localhost:8080/api/mpesa/callback");
    expect(loaded.ok && loaded.config.encryptionKeysRetired).toEqual([a, b]);
    const short = loadConfig({
      ENCRYPTION_KEY: Buffer.alloc(16).toString("base64"),
      ENCRYPTION_KEYS_RETIRED: "nope",
    });
    expect(!short.ok && short.issues.map((i) => i.variable)).toEqual([
      "ENCRYPTION_KEY",
      "ENCRYPTION_KEYS_RETIRED",
    ]);
  });

  it("names every wrong variable, in one line", () => {
    const loaded = loadConfig({
      PORT: "eighty",
      DATABASE_URL: "mysql://db/payme",
      MPESA_ENV: "live",
      WALLET_TOKENS_PER_KES: "1.5",
      MPESA_CALLBACK_URL: "ftp://example.com/cb",
    });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.issues.map((i) => i.variable).sort()).toEqual([
        "DATABASE_URL",
        "MPESA_CALLBACK_URL",
        "MPESA_ENV",
        "PORT",
        "WALLET_TOKENS_PER_KES",
      ]);
      const line = describeConfigIssues(loaded.issues);
      expect(line).not.toContain("\n");
      expect(line).toContain("PORT must be a whole number from 1 to 65535");
    }
  });

  it("refuses out-of-range ports and unparseable database URLs", () => {
    for (const PORT of ["0", "65536", "-1", "3000abc"]) {
      expect(loadConfig({ PORT }).ok, PORT).toBe(false);
    }
    for (const DATABASE_URL of ["not a url", "postgres://", "http://localhost/db"]) {
      expect(loadConfig({ DATABASE_URL }).ok, DATABASE_URL).toBe(false);
    }
  });
});
