import type { Hono } from "hono";
import type { DependencyContainer } from "tsyringe";
import type { HttpEnv } from "../../src/adapters/http/http-env.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { type Config, loadConfig } from "../../src/main/config.ts";
import { buildContainer } from "../../src/main/container.ts";
import type { DarajaConnection } from "../../src/main/daraja-connection.ts";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { capturedLogger } from "./log-capture.ts";

export const TEST_JWT_SECRET = "test-jwt-secret-that-is-at-least-32-bytes-long";
/** 32 bytes of base64: the key secrets are sealed with in tests. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

export type TestApp = {
  readonly app: Hono<HttpEnv>;
  readonly config: Config;
  readonly logLines: () => string[];
  readonly container: ReturnType<typeof buildContainer>;
};

/**
 * The real composition root, with a captured logger, on the given database or on in-memory adapters.
 * `env` overrides configuration as the environment would.
 */
export function testApp(
  options: {
    database?: Database;
    env?: Record<string, string>;
    /** Where the gateway reaches Daraja: a simulator the test started. */
    daraja?: DarajaConnection;
    /** Registers other adapters on the ports' tokens (PORTS.clock, say) before anything is resolved. */
    override?: (container: DependencyContainer) => void;
  } = {},
): TestApp {
  const loaded = loadConfig({ LOG_LEVEL: "debug", ...options.env });
  if (!loaded.ok) {
    throw new Error(`bad test configuration: ${JSON.stringify(loaded.issues)}`);
  }
  const log = capturedLogger();
  const container = buildContainer(
    loaded.config,
    {
      logger: log.logger,
      database: options.database ?? null,
      secrets: { jwtSecret: TEST_JWT_SECRET, encryptionKey: TEST_ENCRYPTION_KEY, retiredEncryptionKeys: [] },
      daraja: options.daraja ?? null,
    },
    options.override,
  );
  return { app: resolve(container, SERVICES.app), config: loaded.config, logLines: log.lines, container };
}

/** JSON request helpers for app.request(). */
export function jsonRequest(method: string, body: unknown, token?: string): RequestInit {
  return {
    method,
    body: JSON.stringify(body),
    headers: {
      "Content-Type": "application/json",
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
  };
}

export const bearer = (token: string): RequestInit => ({ headers: { Authorization: `Bearer ${token}` } });

let counter = 0;

/** Signs a fresh user up through the API; returns their token and ids. */
export async function signUpThroughApi(
  app: Hono<HttpEnv>,
  overrides: Record<string, unknown> = {},
): Promise<{ token: string; userId: string; businessId: string; email: string; password: string }> {
  counter += 1;
  const email = `person-${Date.now().toString(36)}-${counter}@example.com`;
  const password = "a-long-enough-password";
  const response = await app.request(
    "/auth/sign-up",
    jsonRequest("POST", { email, password, name: "Test Person", ...overrides }),
  );
  if (response.status !== 201) {
    throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as { token: string; user: { id: string }; business: { id: string } };
  return { token: body.token, userId: body.user.id, businessId: body.business.id, email, password };
}
