import ipaddr from "ipaddr.js";
import * as v from "valibot";
import { decodeKey } from "../adapters/crypto/aes-gcm-secret-box.ts";
import {
  MAX_TRUSTED_HOPS,
  parseTrustProxy,
  TRUST_NO_PROXY,
  type TrustProxy,
} from "../adapters/http/client-address.ts";
import type { DatabaseTarget } from "../adapters/persistence/database.ts";
import type { PushLimits } from "../application/shared/push-limits.ts";
import { WalletPurchase } from "../domain/wallet-purchase.ts";
import { readSimulatorSettings, type SimulatorSettings } from "./simulator-settings.ts";

export type MpesaEnvironment = "simulator" | "sandbox" | "production";

export type Config = {
  readonly port: number;
  /** Where development secrets and the embedded database live. */
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  readonly jwtSecret: string | null;
  readonly jwtTtlSeconds: number;
  readonly authRateLimits: {
    readonly perAddress: number;
    readonly perAccountAndAddress: number;
    readonly perAccount: number;
    readonly windowSeconds: number;
  };
  /** Password hashes allowed to wait for a free hashing slot; past it, `503 busy` (AUTH_HASH_QUEUE_MAX). */
  readonly authHashQueueMax: number;
  /** Which proxies' X-Forwarded-For to believe, for the client's address (TRUST_PROXY). */
  readonly trustProxy: TrustProxy;
  readonly encryptionKey: string | null;
  readonly encryptionKeysRetired: readonly string[];
  readonly mpesa: {
    readonly environment: MpesaEnvironment;
    readonly baseUrl: string | null;
    readonly consumerKey: string | null;
    readonly consumerSecret: string | null;
    readonly walletPasskey: string | null;
    readonly walletShortcode: string;
    readonly walletAccountReference: string;
    readonly callbackUrl: string;
  };
  /** The in-process Daraja simulator's settings (MPESA_ENV=simulator). */
  readonly simulator: SimulatorSettings;
  readonly walletTokensPerKes: number;
  readonly stockHoldSeconds: number;
  /** Lets a business charge customers before its config is verified (ALLOW_UNVERIFIED_PAYMENT_CONFIG). */
  readonly allowUnverifiedPaymentConfig: boolean;
  readonly reconcileAfterSeconds: number;
  /** How often the reconciler wakes up (it may be a fraction of a second, for tests). */
  readonly reconcileIntervalSeconds: number;
  readonly expireAfterSeconds: number;
  /** How long `/ready` answers 503 after SIGTERM before the listener closes (SHUTDOWN_DRAIN_SECONDS). */
  readonly shutdownDrainSeconds: number;
  /** Connections one instance may open to PostgreSQL (DATABASE_POOL_MAX). */
  readonly databasePoolMax: number;
  /**
   * Group commit of trusted callbacks: at most `max` settlements in one transaction (SETTLEMENT_BATCH_MAX; 1
   * settles each alone), gathered for at most `windowMs` while another group is in flight
   * (SETTLEMENT_BATCH_WINDOW_MS).
   */
  readonly settlementBatch: { readonly max: number; readonly windowMs: number };
  /** METRICS_TOKEN: the bearer token /metrics needs; null leaves /metrics public (never in production). */
  readonly metricsToken: string | null;
  /** How many STK pushes PayMe sends per phone, user and business (see "Push limits" in the README). */
  readonly pushLimits: PushLimits;
  /** How many businesses one user may own (MAX_BUSINESSES_PER_USER). */
  readonly maxBusinessesPerUser: number;
  /** The callback spool's bound, waiting and quarantined entries together (SPOOL_MAX_MB). */
  readonly spoolMaxBytes: number;
  /** How long callback audit records are kept before the reconciler purges them (CALLBACK_AUDIT_DAYS). */
  readonly callbackAuditDays: number;
  /** How long events and their webhook deliveries are kept (EVENT_RETENTION_DAYS). */
  readonly eventRetentionDays: number;
  readonly webhooks: {
    /** Seconds before each retry (WEBHOOK_RETRY_SCHEDULE). */
    readonly retryScheduleSeconds: readonly number[];
    /** An endpoint failing everything this long is disabled (WEBHOOK_DISABLE_AFTER_HOURS). */
    readonly disableAfterHours: number;
    /** Lifts the production refusal of private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE_URLS). */
    readonly allowPrivateUrls: boolean;
    /** How long an idle delivery loop waits before it looks again (WEBHOOK_POLL_MS). */
    readonly pollMs: number;
  };
  /** How often the reconciler pulls the last 48 hours of C2B payments of every registered shortcode (C2B_PULL_MINUTES). */
  readonly c2bPullMinutes: number;
  /** How many look-ups (transaction status, balance) may wait for Daraja's result at once (LOOKUP_MAX_WAITING). */
  readonly lookupMaxWaiting: number;
};

/** The contract's default retry schedule: about three days. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = [
  5, 300, 1800, 7200, 18_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000,
] as const;

const RETRY_SCHEDULE_RULE =
  "must be comma-separated whole seconds (1 to 604800), at most 30 of them, such as 5,300,1800";

/** One environment variable that is wrong or missing, and why. */
export type ConfigIssue = { readonly variable: string; readonly message: string };

type Env = Readonly<Record<string, string | undefined>>;

const optional = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

const wholeNumber = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, `must be a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `must be a whole number from ${min} to ${max}`),
  );

const postgresUrl = v.pipe(
  v.string(),
  v.check((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be a PostgreSQL URL such as postgres://user:password@host:5432/payme"),
);

const httpUrl = v.pipe(
  v.string(),
  v.check((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL"),
);

const SCHEMAS = {
  PORT: wholeNumber(1, 65_535),
  DATABASE_URL: postgresUrl,
  DATA_DIR: v.pipe(v.string(), v.minLength(1)),
  LOG_LEVEL: v.picklist(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
    "must be one of fatal, error, warn, info, debug, trace, silent",
  ),
  MPESA_ENV: v.picklist(["simulator", "sandbox", "production"], "must be simulator, sandbox or production"),
  MPESA_BASE_URL: httpUrl,
  MPESA_CALLBACK_URL: httpUrl,
  MPESA_WALLET_SHORTCODE: v.pipe(v.string(), v.regex(/^\d{5,7}$/, "must be 5 to 7 digits")),
  MPESA_WALLET_ACCOUNT_REFERENCE: v.pipe(
    v.string(),
    v.regex(/^[A-Za-z0-9]{1,12}$/, "must be 1 to 12 letters and digits"),
  ),
  MPESA_B2C_SHORTCODE: v.pipe(v.string(), v.regex(/^\d{5,7}$/, "must be 5 to 7 digits")),
  // A KES 250,000 purchase's tokens must fit the ledger's 32-bit column.
  WALLET_TOKENS_PER_KES: wholeNumber(1, WalletPurchase.TOKENS_PER_KES_MAX),
  STOCK_HOLD_SECONDS: wholeNumber(1, 31_536_000),
  RECONCILE_AFTER_SECONDS: wholeNumber(1, 31_536_000),
  EXPIRE_AFTER_SECONDS: wholeNumber(1, 31_536_000),
  RECONCILE_INTERVAL_SECONDS: v.pipe(
    v.string(),
    v.regex(/^\d+(\.\d+)?$/, "must be a number of seconds, such as 5 or 0.5"),
    v.transform(Number),
    v.minValue(0.05, "must be at least 0.05 seconds"),
    v.maxValue(3600, "must be at most 3600 seconds"),
  ),
  SPOOL_MAX_MB: wholeNumber(1, 1_048_576),
  CALLBACK_AUDIT_DAYS: wholeNumber(1, 36_500),
  EVENT_RETENTION_DAYS: wholeNumber(1, 36_500),
  WEBHOOK_RETRY_SCHEDULE: v.pipe(
    v.string(),
    v.transform((value) => value.split(",").map((part) => part.trim())),
    v.check(
      (parts) =>
        parts.length <= 30 &&
        parts.every((part) => /^\d{1,6}$/.test(part) && Number(part) >= 1 && Number(part) <= 604_800),
      RETRY_SCHEDULE_RULE,
    ),
    v.transform((parts) => parts.map(Number)),
  ),
  WEBHOOK_DISABLE_AFTER_HOURS: wholeNumber(1, 8760),
  WEBHOOK_ALLOW_PRIVATE_URLS: v.picklist(["true", "false"], "must be true or false"),
  WEBHOOK_POLL_MS: wholeNumber(10, 60_000),
  C2B_PULL_MINUTES: wholeNumber(1, 2_880),
  LOOKUP_MAX_WAITING: wholeNumber(0, 10_000),
  SHUTDOWN_DRAIN_SECONDS: wholeNumber(0, 300),
  DATABASE_POOL_MAX: wholeNumber(1, 1_000),
  SETTLEMENT_BATCH_MAX: wholeNumber(1, 1_000),
  SETTLEMENT_BATCH_WINDOW_MS: wholeNumber(0, 1_000),
  JWT_SECRET: v.pipe(
    v.string(),
    v.check((value) => new TextEncoder().encode(value).byteLength >= 32, "must be at least 32 bytes long"),
  ),
  JWT_TTL_SECONDS: wholeNumber(60, 31_536_000),
  AUTH_RATE_LIMIT_PER_ADDRESS: wholeNumber(1, 1_000_000_000),
  AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: wholeNumber(1, 1_000_000_000),
  AUTH_RATE_LIMIT_PER_ACCOUNT: wholeNumber(1, 1_000_000_000),
  AUTH_RATE_LIMIT_PER_EMAIL: v.pipe(
    v.string(),
    v.check(
      () => false,
      "is no longer read: failures are limited per account and address (AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS) and per account from all addresses (AUTH_RATE_LIMIT_PER_ACCOUNT)",
    ),
  ),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: wholeNumber(1, 86_400),
  PUSHES_PER_PHONE: wholeNumber(1, 1_000_000_000),
  WALLET_PUSHES_PER_HOUR: wholeNumber(1, 1_000_000_000),
  VERIFY_PUSHES_PER_HOUR: wholeNumber(1, 1_000_000_000),
  BUSINESS_PUSHES_PER_MINUTE: wholeNumber(1, 1_000_000_000),
  MAX_BUSINESSES_PER_USER: wholeNumber(1, 1_000_000),
  AUTH_HASH_QUEUE_MAX: wholeNumber(0, 100_000),
  TRUST_PROXY: v.pipe(
    v.string(),
    v.transform(parseTrustProxy),
    v.check(
      (trust) => trust !== null,
      `must be true, false, a hop count up to ${MAX_TRUSTED_HOPS}, or comma-separated proxy addresses and CIDR ranges (such as 10.0.0.0/8,192.168.1.7)`,
    ),
  ),
  ALLOW_UNVERIFIED_PAYMENT_CONFIG: v.picklist(["true", "false"], "must be true or false"),
  ENCRYPTION_KEY: v.pipe(
    v.string(),
    v.check(
      (value) => decodeKey(value) !== null,
      "must be 32 random bytes in base64 (openssl rand -base64 32)",
    ),
  ),
  METRICS_TOKEN: v.pipe(
    v.string(),
    v.regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces, as a bearer token is"),
    v.maxLength(256, "must be at most 256 characters"),
  ),
  ENCRYPTION_KEYS_RETIRED: v.pipe(
    v.string(),
    v.transform((value) =>
      value
        .split(",")
        .map((key) => key.trim())
        .filter((key) => key !== ""),
    ),
    v.check(
      (keys) => keys.every((key) => decodeKey(key) !== null),
      "must be a comma-separated list of 32-byte base64 keys",
    ),
  ),
} as const;

/**
 * How much higher the per-account limit (failures from all addresses) is than the per-account-and-address one, at
 * least: a person's own address stays usable long after an attacker's failures from elsewhere.
 */
const ACCOUNT_LIMIT_FACTOR = 10;

type Parsed = { [K in keyof typeof SCHEMAS]: v.InferOutput<(typeof SCHEMAS)[K]> | undefined };

/**
 * Reads and checks the configuration from the environment. Every wrong value is reported, each naming its
 * variable; defaults are those of the contract.
 */
export function loadConfig(
  env: Env,
): { ok: true; config: Config; warnings: ConfigIssue[] } | { ok: false; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const parsed = {} as Record<string, unknown>;
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const raw = optional(env, name);
    if (raw === undefined) {
      continue;
    }
    const result = v.safeParse(schema, raw);
    if (result.success) {
      parsed[name] = result.output;
    } else {
      issues.push({ variable: name, message: result.issues[0]?.message ?? "is not valid" });
    }
  }
  const p = parsed as Parsed;
  const simulator = readSimulatorSettings(env);
  if (!simulator.ok) {
    issues.push({ variable: simulator.variable, message: simulator.problem });
  }
  if (issues.length > 0 || !simulator.ok) {
    return { ok: false, issues };
  }
  const perAccountAndAddress = p.AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS ?? 10;
  const perAccount = p.AUTH_RATE_LIMIT_PER_ACCOUNT ?? perAccountAndAddress * ACCOUNT_LIMIT_FACTOR;
  if (perAccount < perAccountAndAddress * ACCOUNT_LIMIT_FACTOR) {
    issues.push({
      variable: "AUTH_RATE_LIMIT_PER_ACCOUNT",
      message: `must be at least ${ACCOUNT_LIMIT_FACTOR} times AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS, so that failures from elsewhere cannot lock a person out`,
    });
    return { ok: false, issues };
  }
  const port = p.PORT ?? 3000;
  const dataDir = p.DATA_DIR ?? "./.data";
  const config: Config = {
    port,
    dataDir,
    database:
      p.DATABASE_URL === undefined
        ? { kind: "pglite", dataDir: `${dataDir}/pglite` }
        : { kind: "postgres", url: p.DATABASE_URL },
    logLevel: p.LOG_LEVEL ?? "info",
    jwtSecret: p.JWT_SECRET ?? null,
    jwtTtlSeconds: p.JWT_TTL_SECONDS ?? 86_400,
    authRateLimits: {
      perAddress: p.AUTH_RATE_LIMIT_PER_ADDRESS ?? 60,
      perAccountAndAddress,
      perAccount,
      windowSeconds: p.AUTH_RATE_LIMIT_WINDOW_SECONDS ?? 900,
    },
    authHashQueueMax: p.AUTH_HASH_QUEUE_MAX ?? 64,
    trustProxy: p.TRUST_PROXY ?? TRUST_NO_PROXY,
    encryptionKey: p.ENCRYPTION_KEY ?? null,
    encryptionKeysRetired: p.ENCRYPTION_KEYS_RETIRED ?? [],
    mpesa: {
      environment: p.MPESA_ENV ?? "simulator",
      baseUrl: p.MPESA_BASE_URL ?? null,
      consumerKey: optional(env, "MPESA_CONSUMER_KEY") ?? null,
      consumerSecret: optional(env, "MPESA_CONSUMER_SECRET") ?? null,
      walletPasskey: optional(env, "MPESA_PASSKEY_WALLET") ?? null,
      walletShortcode: p.MPESA_WALLET_SHORTCODE ?? "650880",
      walletAccountReference: p.MPESA_WALLET_ACCOUNT_REFERENCE ?? "37605544",
      callbackUrl: p.MPESA_CALLBACK_URL ?? `http://localhost:${port}/api/mpesa/callback`,
    },
    simulator: simulator.settings,
    walletTokensPerKes: p.WALLET_TOKENS_PER_KES ?? 1,
    stockHoldSeconds: p.STOCK_HOLD_SECONDS ?? 300,
    allowUnverifiedPaymentConfig: p.ALLOW_UNVERIFIED_PAYMENT_CONFIG === "true",
    reconcileAfterSeconds: p.RECONCILE_AFTER_SECONDS ?? 60,
    reconcileIntervalSeconds: p.RECONCILE_INTERVAL_SECONDS ?? 5,
    expireAfterSeconds: p.EXPIRE_AFTER_SECONDS ?? 86_400,
    shutdownDrainSeconds: p.SHUTDOWN_DRAIN_SECONDS ?? 5,
    databasePoolMax: p.DATABASE_POOL_MAX ?? 10,
    settlementBatch: { max: p.SETTLEMENT_BATCH_MAX ?? 64, windowMs: p.SETTLEMENT_BATCH_WINDOW_MS ?? 1 },
    metricsToken: p.METRICS_TOKEN ?? null,
    pushLimits: {
      perPhone: p.PUSHES_PER_PHONE ?? 3,
      walletPerUserPerHour: p.WALLET_PUSHES_PER_HOUR ?? 20,
      verificationsPerUserPerHour: p.VERIFY_PUSHES_PER_HOUR ?? 10,
      perBusinessPerMinute: p.BUSINESS_PUSHES_PER_MINUTE ?? 60,
    },
    maxBusinessesPerUser: p.MAX_BUSINESSES_PER_USER ?? 10,
    spoolMaxBytes: (p.SPOOL_MAX_MB ?? 256) * 1024 * 1024,
    callbackAuditDays: p.CALLBACK_AUDIT_DAYS ?? 90,
    eventRetentionDays: p.EVENT_RETENTION_DAYS ?? 30,
    webhooks: {
      retryScheduleSeconds: p.WEBHOOK_RETRY_SCHEDULE ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE,
      disableAfterHours: p.WEBHOOK_DISABLE_AFTER_HOURS ?? 72,
      allowPrivateUrls: p.WEBHOOK_ALLOW_PRIVATE_URLS === "true",
      pollMs: p.WEBHOOK_POLL_MS ?? 500,
    },
    c2bPullMinutes: p.C2B_PULL_MINUTES ?? 15,
    lookupMaxWaiting: p.LOOKUP_MAX_WAITING ?? 100,
  };
  const unsafe = unsafeForLiveMoney(config);
  if (config.mpesa.environment === "production" && unsafe.length > 0) {
    return { ok: false, issues: unsafe };
  }
  const warnings = config.mpesa.environment === "sandbox" ? unsafe.map(startsAnyway) : [];
  // The seed's system B2C account: still accepted and checked, so an existing environment keeps starting, but
  // every payout and partial refund goes from the business's own payout config, so say that it does nothing.
  for (const [variable, value] of [
    ["MPESA_B2C_SHORTCODE", p.MPESA_B2C_SHORTCODE],
    ["MPESA_B2C_INITIATOR", optional(env, "MPESA_B2C_INITIATOR")],
  ] as const) {
    if (value !== undefined) {
      warnings.push({
        variable,
        message:
          "is set but unused: payouts and partial refunds go from each business's own payout config " +
          "(POST /api/payout-config/setup), never from a system B2C account",
      });
    }
  }
  return { ok: true, config, warnings };
}

function startsAnyway(issue: ConfigIssue): ConfigIssue {
  return {
    variable: issue.variable,
    message: `${issue.message} (sandbox starts anyway; production would refuse)`,
  };
}

const PLACEHOLDER = /change.?me|example|default|placeholder|your.?secret|^secret$|^password/i;

/**
 * What makes a configuration unfit for real money: production refuses to start with any of these, and sandbox
 * warns about them. Each names its variable.
 */
export function unsafeForLiveMoney(config: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { mpesa } = config;
  if (config.database.kind !== "postgres") {
    issues.push({
      variable: "DATABASE_URL",
      message: "must point at PostgreSQL: the embedded database is for development",
    });
  }
  if (config.jwtSecret === null) {
    issues.push({ variable: "JWT_SECRET", message: "must be set (at least 32 random bytes)" });
  } else if (PLACEHOLDER.test(config.jwtSecret) || new Set(config.jwtSecret).size < 12) {
    issues.push({
      variable: "JWT_SECRET",
      message: "looks like a default or weak value: use at least 32 random bytes",
    });
  }
  if (config.encryptionKey === null) {
    issues.push({ variable: "ENCRYPTION_KEY", message: "must be set (32 random bytes in base64)" });
  }
  for (const [variable, value] of [
    ["MPESA_CONSUMER_KEY", mpesa.consumerKey],
    ["MPESA_CONSUMER_SECRET", mpesa.consumerSecret],
    ["MPESA_PASSKEY_WALLET", mpesa.walletPasskey],
  ] as const) {
    if (value === null) {
      issues.push({
        variable,
        message: "must be set: the Daraja credentials of PayMe's own app and wallet paybill",
      });
    }
  }
  if (config.metricsToken === null) {
    issues.push({
      variable: "METRICS_TOKEN",
      message: "must be set: /metrics shows every business's volumes (at least 32 random characters)",
    });
  } else if (config.metricsToken.length < 32 || PLACEHOLDER.test(config.metricsToken)) {
    issues.push({
      variable: "METRICS_TOKEN",
      message: "looks like a default or weak value: use at least 32 random characters",
    });
  }
  const callbackUrl = new URL(mpesa.callbackUrl);
  const unreachable = unreachableHost(callbackUrl.hostname);
  if (callbackUrl.protocol !== "https:") {
    issues.push({
      variable: "MPESA_CALLBACK_URL",
      message: "must be a public https URL: Safaricom calls it from the internet",
    });
  } else if (unreachable !== null) {
    issues.push({
      variable: "MPESA_CALLBACK_URL",
      message: `must be a public https URL: its host ${unreachable}, which Safaricom's servers can never reach`,
    });
  }
  return issues;
}

/** Names no public DNS answers: special-use names (RFC 6761, 6762, 8375) and ICANN's private-use `.internal`. */
const LOCAL_NAME_SUFFIXES = ["localhost", "local", "internal", "home.arpa", "test", "invalid", "example"];

/**
 * Why a callback host cannot be reached from the internet, or null when it may be. The WHATWG URL parser has
 * already lower-cased the host and turned every IPv4 spelling (`0x7f.1`, `2130706433`) into dotted decimal, so an
 * address literal is seen here as the address it is; an IPv4-mapped IPv6 address counts as its IPv4 address.
 */
function unreachableHost(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  if (ipaddr.isValid(bare)) {
    const range = ipaddr.process(bare).range();
    // Everything but public unicast: loopback, private, unique-local, link-local, carrier-grade NAT,
    // unspecified, multicast, broadcast, documentation and other reserved ranges.
    return range === "unicast" ? null : `${hostname} is not a public address (${range})`;
  }
  const name = bare.replace(/\.$/, "");
  if (LOCAL_NAME_SUFFIXES.some((local) => name === local || name.endsWith(`.${local}`))) {
    return `${hostname} is a local name`;
  }
  return name.includes(".") ? null : `${hostname} is a single-label name`;
}

/** The issues as one line, each naming its variable, for a start-up that must stop. */
export function describeConfigIssues(issues: readonly ConfigIssue[]): string {
  return `PayMe cannot start: ${issues.map((issue) => `${issue.variable} ${issue.message}`).join("; ")}`;
}
