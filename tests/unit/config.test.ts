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

  it("bounds the callback spool (SPOOL_MAX_MB, 256 MB) and keeps callback audit records CALLBACK_AUDIT_DAYS (90)", () => {
    const defaults = loadConfig({});
    expect(defaults.ok && [defaults.config.spoolMaxBytes, defaults.config.callbackAuditDays]).toEqual([
      256 * 1024 * 1024,
      90,
    ]);
    const set = loadConfig({ SPOOL_MAX_MB: "16", CALLBACK_AUDIT_DAYS: "400" });
    expect(set.ok && [set.config.spoolMaxBytes, set.config.callbackAuditDays]).toEqual([
      16 * 1024 * 1024,
      400,
    ]);
    for (const [variable, value] of [
      ["SPOOL_MAX_MB", "0"],
      ["SPOOL_MAX_MB", "1.5"],
      ["SPOOL_MAX_MB", "2000000"],
      ["CALLBACK_AUDIT_DAYS", "0"],
      ["CALLBACK_AUDIT_DAYS", "-3"],
      ["CALLBACK_AUDIT_DAYS", "forever"],
    ] as const) {
      const loaded = loadConfig({ [variable]: value });
      expect(!loaded.ok && loaded.issues.map((i) => i.variable), `${variable}=${value}`).toEqual([variable]);
    }
  });

  it("groups settlements (SETTLEMENT_BATCH_MAX 64, SETTLEMENT_BATCH_WINDOW_MS 1) within bounds", () => {
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.config.settlementBatch).toEqual({ max: 64, windowMs: 1 });
    const set = loadConfig({ SETTLEMENT_BATCH_MAX: "1", SETTLEMENT_BATCH_WINDOW_MS: "0" });
    expect(set.ok && set.config.settlementBatch).toEqual({ max: 1, windowMs: 0 });
    for (const [variable, value] of [
      ["SETTLEMENT_BATCH_MAX", "0"],
      ["SETTLEMENT_BATCH_MAX", "1001"],
      ["SETTLEMENT_BATCH_MAX", "8.5"],
      ["SETTLEMENT_BATCH_WINDOW_MS", "-1"],
      ["SETTLEMENT_BATCH_WINDOW_MS", "1001"],
      ["SETTLEMENT_BATCH_WINDOW_MS", "soon"],
    ] as const) {
      const loaded = loadConfig({ [variable]: value });
      expect(!loaded.ok && loaded.issues.map((i) => i.variable), `${variable}=${value}`).toEqual([variable]);
    }
  });

  it("reads the webhook settings, with the contract's defaults, and names a wrong one", () => {
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.config.webhooks).toEqual({
      retryScheduleSeconds: [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000],
      disableAfterHours: 72,
      allowPrivateUrls: false,
      pollMs: 500,
    });
    expect(defaults.ok && defaults.config.eventRetentionDays).toBe(30);
    const set = loadConfig({
      WEBHOOK_RETRY_SCHEDULE: "1, 2,4",
      WEBHOOK_DISABLE_AFTER_HOURS: "1",
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      EVENT_RETENTION_DAYS: "7",
    });
    expect(set.ok && [set.config.webhooks, set.config.eventRetentionDays]).toEqual([
      { retryScheduleSeconds: [1, 2, 4], disableAfterHours: 1, allowPrivateUrls: true, pollMs: 500 },
      7,
    ]);
    for (const [variable, value] of [
      ["WEBHOOK_RETRY_SCHEDULE", "5,soon"],
      ["WEBHOOK_RETRY_SCHEDULE", "0"],
      ["WEBHOOK_RETRY_SCHEDULE", "9999999"],
      ["WEBHOOK_RETRY_SCHEDULE", Array.from({ length: 31 }, () => "1").join(",")],
      ["WEBHOOK_DISABLE_AFTER_HOURS", "0"],
      ["WEBHOOK_ALLOW_PRIVATE_URLS", "yes"],
      ["EVENT_RETENTION_DAYS", "-1"],
    ] as const) {
      const loaded = loadConfig({ [variable]: value });
      expect(loaded.ok, `${variable}=${value}`).toBe(false);
      expect(!loaded.ok && loaded.issues.map((issue) => issue.variable)).toEqual([variable]);
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

  const live = {
    MPESA_ENV: "production",
    DATABASE_URL: "postgres://payme:pw@db.internal:5432/payme",
    JWT_SECRET: "kX9#vQ2!mZ7@pL4$wR8%tY1^uI6&oP3*aS5(dF0)",
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    MPESA_CONSUMER_KEY: "live-key",
    MPESA_CONSUMER_SECRET: "live-secret",
    MPESA_PASSKEY_WALLET: "live-passkey",
    MPESA_CALLBACK_URL: "https://pay.example.co.ke/hooks/stk",
    METRICS_TOKEN: "Zq4vN8rT2wY6uK1pM9xC3bH7jL5dF0gS",
  };

  it("refuses a production start that lacks anything money needs, naming every setting at once", () => {
    const loaded = loadConfig({ MPESA_ENV: "production" });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.issues.map((i) => i.variable).sort()).toEqual([
      "DATABASE_URL",
      "ENCRYPTION_KEY",
      "JWT_SECRET",
      "METRICS_TOKEN",
      "MPESA_CALLBACK_URL",
      "MPESA_CONSUMER_KEY",
      "MPESA_CONSUMER_SECRET",
      "MPESA_PASSKEY_WALLET",
    ]);
    expect(loadConfig(live).ok).toBe(true);
    const started = loadConfig(live);
    expect(started.ok && started.config.metricsToken).toBe(live.METRICS_TOKEN);
    const { METRICS_TOKEN: _, ...withoutToken } = live;
    const open = loadConfig(withoutToken);
    expect(!open.ok && open.issues.map((i) => `${i.variable} ${i.message}`)).toEqual([
      expect.stringMatching(/^METRICS_TOKEN must be set/),
    ]);
  });

  it("takes METRICS_TOKEN as a bearer token, and refuses a short or default-looking one in production", () => {
    const development = loadConfig({});
    expect(development.ok && development.config.metricsToken).toBeNull();
    const short = loadConfig({ METRICS_TOKEN: "short" });
    expect(short.ok && short.config.metricsToken).toBe("short");
    for (const METRICS_TOKEN of ["has a space", "tab\tinside", "é".repeat(40), "x".repeat(257)]) {
      const bad = loadConfig({ METRICS_TOKEN });
      expect(!bad.ok && bad.issues.map((i) => i.variable), METRICS_TOKEN).toEqual(["METRICS_TOKEN"]);
    }
    for (const METRICS_TOKEN of ["too-short-for-money", "change-me-change-me-change-me-change-me"]) {
      const weak = loadConfig({ ...live, METRICS_TOKEN });
      expect(!weak.ok && weak.issues.map((i) => i.variable), METRICS_TOKEN).toEqual(["METRICS_TOKEN"]);
    }
  });

  it("refuses a default-looking JWT secret and a plain-http callback URL in production", () => {
    const weak = loadConfig({ ...live, JWT_SECRET: "change-me-change-me-change-me-change-me" });
    expect(!weak.ok && weak.issues.map((i) => i.variable)).toEqual(["JWT_SECRET"]);
    const repetitive = loadConfig({ ...live, JWT_SECRET: "a".repeat(40) });
    expect(!repetitive.ok && repetitive.issues.map((i) => i.variable)).toEqual(["JWT_SECRET"]);
    const http = loadConfig({ ...live, MPESA_CALLBACK_URL: "http://pay.example.co.ke/hooks/stk" });
    expect(!http.ok && http.issues.map((i) => i.variable)).toEqual(["MPESA_CALLBACK_URL"]);
  });

  it("refuses in production a callback host Daraja can never reach: local names and non-public addresses", () => {
    for (const host of [
      "localhost",
      "LocalHost.",
      "pay.localhost",
      "payme.local",
      "api.internal",
      "payme",
      "127.0.0.1",
      "127.1.2.3",
      "0x7f.1",
      "10.0.0.5",
      "172.16.4.4",
      "192.168.1.10",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "[::1]",
      "[::]",
      "[fe80::1]",
      "[fd12:3456::1]",
      "[::ffff:192.168.1.10]",
    ]) {
      const local = loadConfig({ ...live, MPESA_CALLBACK_URL: `https://${host}/hooks/stk` });
      expect(!local.ok && local.issues.map((i) => `${i.variable} ${i.message}`), host).toEqual([
        expect.stringMatching(/^MPESA_CALLBACK_URL .*Safaricom/),
      ]);
    }
    for (const host of ["pay.example.co.ke", "41.90.1.1", "[2c0f:fe38::1]", "internal.pay.co.ke"]) {
      const reachable = loadConfig({ ...live, MPESA_CALLBACK_URL: `https://${host}/hooks/stk` });
      expect(reachable.ok, host).toBe(true);
    }
    const sandbox = loadConfig({
      ...live,
      MPESA_ENV: "sandbox",
      MPESA_CALLBACK_URL: "https://localhost/hooks/stk",
    });
    expect(sandbox.ok && sandbox.warnings.map((w) => w.variable)).toEqual(["MPESA_CALLBACK_URL"]);
  });

  it("starts sandbox with the same settings missing, but warns about each", () => {
    const loaded = loadConfig({ MPESA_ENV: "sandbox" });
    expect(loaded.ok).toBe(true);
    expect(loaded.ok && loaded.warnings.map((w) => w.variable)).toContain("MPESA_CALLBACK_URL");
    expect(loaded.ok && loaded.warnings.map((w) => w.variable)).toContain("METRICS_TOKEN");
    expect(loaded.ok && loaded.warnings.length).toBe(8);
    const development = loadConfig({});
    expect(development.ok && development.warnings).toEqual([]);
  });

  it("accepts the seed's MPESA_B2C_SHORTCODE and MPESA_B2C_INITIATOR, checks them, and warns that nothing uses them", () => {
    const wrong = loadConfig({ MPESA_B2C_SHORTCODE: "12ab" });
    expect(!wrong.ok && wrong.issues.map((i) => i.variable)).toEqual(["MPESA_B2C_SHORTCODE"]);
    for (const env of [{}, live, { ...live, MPESA_ENV: "sandbox" }]) {
      for (const variable of ["MPESA_B2C_SHORTCODE", "MPESA_B2C_INITIATOR"]) {
        const set = loadConfig({
          ...env,
          [variable]: variable === "MPESA_B2C_SHORTCODE" ? "600000" : "payme-api",
        });
        expect(set.ok && set.warnings.map((w) => `${w.variable} ${w.message}`), variable).toEqual([
          expect.stringMatching(new RegExp(`^${variable} .*unused.*payout config`)),
        ]);
      }
    }
    const unset = loadConfig(live);
    expect(unset.ok && unset.warnings).toEqual([]);
  });

  it("has the contract's push limits by default, and takes them from the environment", () => {
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.config.pushLimits).toEqual({
      perPhone: 3,
      walletPerUserPerHour: 20,
      verificationsPerUserPerHour: 10,
      perBusinessPerMinute: 60,
    });
    expect(defaults.ok && defaults.config.maxBusinessesPerUser).toBe(10);
    const raised = loadConfig({
      PUSHES_PER_PHONE: "5",
      WALLET_PUSHES_PER_HOUR: "1000000000",
      VERIFY_PUSHES_PER_HOUR: "7",
      BUSINESS_PUSHES_PER_MINUTE: "600",
      MAX_BUSINESSES_PER_USER: "50",
    });
    expect(raised.ok && raised.config.pushLimits).toEqual({
      perPhone: 5,
      walletPerUserPerHour: 1_000_000_000,
      verificationsPerUserPerHour: 7,
      perBusinessPerMinute: 600,
    });
    expect(raised.ok && raised.config.maxBusinessesPerUser).toBe(50);
    const wrong = loadConfig({
      PUSHES_PER_PHONE: "0",
      BUSINESS_PUSHES_PER_MINUTE: "1e3",
      MAX_BUSINESSES_PER_USER: "-1",
    });
    expect(!wrong.ok && wrong.issues.map((i) => i.variable)).toEqual([
      "PUSHES_PER_PHONE",
      "BUSINESS_PUSHES_PER_MINUTE",
      "MAX_BUSINESSES_PER_USER",
    ]);
  });

  it("bounds every number it reads, so that none can overflow a column or a timer", () => {
    // WALLET_TOKENS_PER_KES × KES 250,000 must fit a 32-bit integer: 8,589 does, 8,590 does not.
    const highest = loadConfig({ WALLET_TOKENS_PER_KES: "8589" });
    expect(highest.ok && highest.config.walletTokensPerKes).toBe(8589);
    for (const [variable, value] of [
      ["WALLET_TOKENS_PER_KES", "8590"],
      ["WALLET_TOKENS_PER_KES", "1000000"],
      ["WALLET_TOKENS_PER_KES", "2.5"],
      ["STOCK_HOLD_SECONDS", "99999999999999999999"],
      ["EXPIRE_AFTER_SECONDS", "-5"],
      ["PUSHES_PER_PHONE", "1000000001"],
      ["MAX_BUSINESSES_PER_USER", "1e9"],
    ] as const) {
      const loaded = loadConfig({ [variable]: value });
      expect(!loaded.ok && loaded.issues.map((i) => i.variable)).toEqual([variable]);
    }
  });
});

describe("sign-in settings", () => {
  const trustOf = (value: string) => {
    const loaded = loadConfig({ TRUST_PROXY: value });
    return loaded.ok ? loaded.config.trustProxy : loaded.issues.map((issue) => issue.variable);
  };

  it("reads TRUST_PROXY as none, a hop count (true meaning one), or proxy addresses and CIDR ranges", () => {
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.config.trustProxy).toEqual({ kind: "none" });
    expect(trustOf("false")).toEqual({ kind: "none" });
    expect(trustOf("true")).toEqual({ kind: "hops", hops: 1 });
    expect(trustOf("2")).toEqual({ kind: "hops", hops: 2 });
    expect(trustOf("10.0.0.0/8, 192.168.1.7,::1")).toEqual({
      kind: "addresses",
      addresses: ["10.0.0.0/8", "192.168.1.7", "::1"],
    });
    for (const wrong of ["yes", "10.0.0.0/33", "300.1.1.1", "99", "-1"]) {
      expect(trustOf(wrong), wrong).toEqual(["TRUST_PROXY"]);
    }
  });

  it("bounds the hash queue and keeps the per-account limit well above the per-account-and-address one", () => {
    const defaults = loadConfig({});
    expect(defaults.ok && defaults.config.authHashQueueMax).toBe(64);
    expect(defaults.ok && defaults.config.authRateLimits).toEqual({
      perAddress: 60,
      perAccountAndAddress: 10,
      perAccount: 100,
      windowSeconds: 900,
    });
    const set = loadConfig({ AUTH_HASH_QUEUE_MAX: "8", AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "5" });
    expect(set.ok && [set.config.authHashQueueMax, set.config.authRateLimits.perAccount]).toEqual([8, 50]);
    const close = loadConfig({ AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "5", AUTH_RATE_LIMIT_PER_ACCOUNT: "20" });
    expect(!close.ok && close.issues.map((issue) => issue.variable)).toEqual(["AUTH_RATE_LIMIT_PER_ACCOUNT"]);
    const negative = loadConfig({ AUTH_HASH_QUEUE_MAX: "-1" });
    expect(!negative.ok && negative.issues.map((issue) => issue.variable)).toEqual(["AUTH_HASH_QUEUE_MAX"]);
  });

  it("refuses the retired AUTH_RATE_LIMIT_PER_EMAIL, naming what replaced it", () => {
    const loaded = loadConfig({ AUTH_RATE_LIMIT_PER_EMAIL: "10" });
    expect(!loaded.ok && loaded.issues[0]?.message).toContain("AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS");
  });
});
