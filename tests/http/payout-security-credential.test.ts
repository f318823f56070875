import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemClock } from "../../src/adapters/clock/system-clock.ts";
import { DarajaGateway } from "../../src/adapters/daraja/daraja-gateway.ts";
import type {
  DarajaSimulator,
  ListeningSimulator,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { PORTS } from "../../src/main/tokens.ts";
import { startSimulator } from "../support/payme-server.ts";
import { jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

/**
 * A throwaway RSA key pair in a self-signed certificate, standing in for Safaricom's: what PayMe sends as
 * SecurityCredential must decrypt, with the private key, to the initiator password the business set up.
 * Node 20 refuses RSA PKCS#1 v1.5 private decryption (CVE-2023-46809), so node-forge decrypts.
 */
function testCertificate(): { certificatePem: string; decrypt: (credential: string) => string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const forgePrivate = forge.pki.privateKeyFromPem(
    privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  );
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: "spki", format: "pem" }).toString(),
  );
  certificate.serialNumber = "01";
  certificate.validity.notBefore = new Date("2020-01-01T00:00:00Z");
  certificate.validity.notAfter = new Date("2021-01-01T00:00:00Z");
  const name = [{ name: "commonName", value: "test-stand-in-for-safaricom.invalid" }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.sign(forgePrivate, forge.md.sha256.create());
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    decrypt: (credential) =>
      forge.util.decodeUtf8(
        forgePrivate.decrypt(Buffer.from(credential, "base64").toString("binary"), "RSAES-PKCS1-V1_5"),
      ),
  };
}

describe("the B2C SecurityCredential, with a test key pair standing in for Safaricom's certificate", () => {
  let simulator: DarajaSimulator;
  let listening: ListeningSimulator;
  let gateway: DarajaGateway;
  const key = testCertificate();

  beforeAll(async () => {
    // No callback comes back during the test: only the request matters here.
    ({ simulator, listening } = await startSimulator({ delayMs: 600_000 }));
    gateway = new DarajaGateway({
      baseUrl: listening.url,
      consumerKey: "test-key",
      consumerSecret: "test-secret",
      certificate: key.certificatePem,
      clock: new SystemClock(),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await listening.close();
  });

  it("decrypts to the initiator password the business set up, and to nothing else", async () => {
    const { app } = testApp({
      daraja: {
        baseUrl: listening.url,
        consumerKey: "test-key",
        consumerSecret: "test-secret",
        walletPasskey: null,
        stop: async () => undefined,
      },
      override: (container) => container.register(PORTS.paymentGateway, { useValue: gateway }),
    });
    const user = await signUpThroughApi(app);
    const password = "Op3rator#2026&Pay";
    const setup = await app.request(
      "/api/payout-config/setup",
      jsonRequest(
        "POST",
        { shortcode: "600996", initiatorName: "payme_ops", initiatorPassword: password },
        user.token,
      ),
    );
    expect(setup.status).toBe(201);
    const started = await app.request(
      "/api/payouts",
      jsonRequest("POST", { businessId: user.businessId, phone: "0712345678", amount: 100 }, user.token),
    );
    expect(started.status).toBe(202);

    const sent = simulator.b2cBodies().at(-1);
    const credential = String(sent?.SecurityCredential);
    expect(credential).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    expect(credential).not.toContain(password);
    expect(key.decrypt(credential)).toBe(password);
    expect(sent).toMatchObject({ InitiatorName: "payme_ops", PartyA: "600996" });
    // Another key cannot read it: the credential is bound to the certificate PayMe was given.
    expect(() => testCertificate().decrypt(credential)).toThrow();
  });
});
