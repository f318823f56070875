import { describe, expect, it } from "vitest";
import { UndiciWebhookTransport } from "../../src/adapters/webhooks/undici-webhook-transport.ts";
import { MAX_ENDPOINTS_PER_BUSINESS } from "../../src/application/webhooks/create-webhook-endpoint.ts";
import { loadConfig } from "../../src/main/config.ts";
import { buildContainer } from "../../src/main/container.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { capturedLogger } from "../support/log-capture.ts";
import {
  jsonRequest,
  signUpThroughApi,
  TEST_ENCRYPTION_KEY,
  TEST_JWT_SECRET,
  testApp,
} from "../support/test-app.ts";

/** The transport the composition root wires for an environment. */
function wiredTransport(env: Record<string, string>) {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    throw new Error(JSON.stringify(loaded.issues));
  }
  const container = buildContainer(loaded.config, {
    logger: capturedLogger().logger,
    database: null,
    secrets: { jwtSecret: TEST_JWT_SECRET, encryptionKey: TEST_ENCRYPTION_KEY, retiredEncryptionKeys: [] },
    daraja: null,
  });
  return resolve(container, PORTS.webhookTransport);
}

const PRODUCTION = {
  MPESA_ENV: "production",
  DATABASE_URL: "postgres://payme@db.internal:5432/payme",
  JWT_SECRET: "k3J9x0QwZr7LmT2vYb8NcPa5Hs1DfGe6",
  ENCRYPTION_KEY: Buffer.alloc(32, 11).toString("base64"),
  MPESA_CONSUMER_KEY: "live-consumer-key-x81",
  MPESA_CONSUMER_SECRET: "live-consumer-secret-y42",
  MPESA_PASSKEY_WALLET: "live-wallet-passkey-z93",
  MPESA_CALLBACK_URL: "https://pay.example.co.ke/api/mpesa/callback",
  METRICS_TOKEN: "Xq7w8e9R2t5Y1u3I6o0P4a8S2d7F9g1H",
};

describe("the policy each environment wires", () => {
  it("production: https only and public addresses only; WEBHOOK_ALLOW_PRIVATE_URLS lifts the address rule", () => {
    const production = wiredTransport(PRODUCTION);
    expect(production.refusal("http://hooks.example.com/x")).toBe("must be https");
    expect(production.refusal("https://10.0.0.1/x")).not.toBeNull();
    const lifted = wiredTransport({ ...PRODUCTION, WEBHOOK_ALLOW_PRIVATE_URLS: "true" });
    expect(lifted.refusal("https://10.0.0.1/x")).toBeNull();
    expect(lifted.refusal("http://hooks.example.com/x")).toBe("must be https");
  });

  it("outside production: http and private addresses are allowed", () => {
    const simulator = wiredTransport({});
    expect(simulator.refusal("http://127.0.0.1:8080/x")).toBeNull();
  });
});

describe("which endpoint URLs a production server takes", () => {
  // The policy MPESA_ENV=production wires (the rest of a production configuration is beside the point here).
  const payme = testApp({
    override: (c) =>
      c.register(PORTS.webhookTransport, {
        useValue: new UndiciWebhookTransport({ requireHttps: true, publicAddressesOnly: true }),
      }),
  });

  it("refuses http and private, loopback or link-local addresses with 400, and takes a public https URL", async () => {
    const owner = await signUpThroughApi(payme.app);
    const create = (url: string) =>
      payme.app.request(
        `/api/businesses/${owner.businessId}/webhook-endpoints`,
        jsonRequest("POST", { url }, owner.token),
      );
    for (const url of [
      "http://hooks.example.com/payme",
      "https://127.0.0.1/payme",
      "https://10.0.0.7/payme",
      "https://169.254.169.254/latest",
      "https://[fe80::1]/payme",
      "https://localhost/payme",
    ]) {
      const response = await create(url);
      expect(response.status, url).toBe(400);
      expect(await response.json()).toMatchObject({ code: "validation_failed", errors: [{ path: "url" }] });
    }
    expect((await create("https://hooks.example.com/payme")).status).toBe(201);
    // PATCH checks the same way.
    const listed = (await (
      await payme.app.request(`/api/businesses/${owner.businessId}/webhook-endpoints`, {
        headers: { Authorization: `Bearer ${owner.token}` },
      })
    ).json()) as { endpoints: { id: string }[] };
    const patched = await payme.app.request(
      `/api/businesses/${owner.businessId}/webhook-endpoints/${listed.endpoints[0]?.id}`,
      jsonRequest("PATCH", { url: "http://hooks.example.com/payme" }, owner.token),
    );
    expect(patched.status).toBe(400);
  });

  it(`a business has at most ${MAX_ENDPOINTS_PER_BUSINESS} endpoints`, async () => {
    const owner = await signUpThroughApi(payme.app);
    const create = () =>
      payme.app.request(
        `/api/businesses/${owner.businessId}/webhook-endpoints`,
        jsonRequest("POST", { url: "https://hooks.example.com/payme" }, owner.token),
      );
    for (let i = 0; i < MAX_ENDPOINTS_PER_BUSINESS; i += 1) {
      expect((await create()).status).toBe(201);
    }
    expect((await create()).status).toBe(400);
  });
});
