import { X509Certificate } from "node:crypto";
import forge from "node-forge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { darajaCertificate } from "../../src/adapters/daraja/daraja-certificate.ts";
import { parseB2cQueueTimeout } from "../../src/adapters/daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult } from "../../src/adapters/daraja/parse-b2c-result.ts";
import { securityCredential } from "../../src/adapters/daraja/security-credential.ts";
import { SIMULATOR_PRIVATE_KEY_PEM } from "../../src/adapters/daraja-simulator/simulator-certificate.ts";
import { SANDBOX_INITIATOR_PASSWORD } from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import type { B2cPaymentRequest } from "../../src/application/ports/payment-gateway.ts";
import { Kes } from "../../src/domain/kes.ts";
import {
  aPayoutRequest,
  type DarajaRig,
  failureOf,
  okValue,
  pathOf,
  phone,
  startRig,
} from "./daraja-test-kit.ts";

const decryptWithSimulatorKey = (credential: string) =>
  forge.pki
    .privateKeyFromPem(SIMULATOR_PRIVATE_KEY_PEM)
    .decrypt(Buffer.from(credential, "base64").toString("binary"), "RSAES-PKCS1-V1_5");

describe("darajaCertificate and the SecurityCredential", () => {
  it("picks Safaricom's sandbox and production certificates and the simulator's own, without checking expiry", () => {
    const subject = (environment: "sandbox" | "production" | "simulator") =>
      new X509Certificate(darajaCertificate(environment)).subject;
    expect(subject("sandbox")).toContain("CN=apicrypt.safaricom.co.ke");
    expect(subject("production")).toContain("CN=apigee.apicaller.safaricom.co.ke");
    expect(subject("simulator")).toContain("CN=payme-daraja-simulator.invalid");
    // Safaricom's certificates expired years ago and are still the ones to use.
    expect(new Date(new X509Certificate(darajaCertificate("sandbox")).validTo).getTime()).toBeLessThan(
      Date.now(),
    );
  });

  it("is the initiator password, RSA PKCS#1 v1.5-encrypted for the environment's key: 344 base64 characters", () => {
    for (const environment of ["sandbox", "production", "simulator"] as const) {
      expect(securityCredential(darajaCertificate(environment), "Safaricom999!*!")).toMatch(
        /^[A-Za-z0-9+/]{342}==$/,
      );
    }
    const credential = securityCredential(darajaCertificate("simulator"), "Safaricom999!*!");
    expect(decryptWithSimulatorKey(credential)).toBe("Safaricom999!*!");
    expect(securityCredential(darajaCertificate("simulator"), "Safaricom999!*!")).not.toBe(credential);
  });
});

describe("B2C and Transaction Status through the gateway, against the simulator over HTTP", () => {
  let rig: DarajaRig;
  beforeAll(async () => {
    rig = await startRig({ simulator: { initiators: { payme_ops: "Op3rator#2026" } } });
  });
  afterAll(() => rig.close());

  const resultsFor = async (payout: B2cPaymentRequest, count = 1) =>
    (await rig.receiver.waitFor(pathOf(payout.resultUrl), count)).map((callback) =>
      okValue(parseB2cResult(callback.body)),
    );
  const withAccount = (payout: B2cPaymentRequest, account: Partial<B2cPaymentRequest["account"]>) => ({
    ...payout,
    account: { ...payout.account, ...account },
  });

  it("sends a v3 payment request with our OriginatorConversationID, and the result says completed", async () => {
    const payout = aPayoutRequest(rig.receiver);
    const accepted = okValue(await rig.gateway.b2cPayment(payout));
    expect(accepted.originatorConversationId).toBe(payout.originatorConversationId);
    expect(accepted.conversationId).toMatch(/^AG_\d{8}_\w{20}$/);

    const body = rig.simulator.b2cBodies().at(-1) ?? {};
    expect(body).toMatchObject({
      OriginatorConversationID: payout.originatorConversationId,
      InitiatorName: "testapi",
      CommandID: "BusinessPayment",
      Amount: 500,
      PartyA: "600992",
      PartyB: "254712345678",
      Remarks: "Weekly payout",
      ResultURL: payout.resultUrl,
      QueueTimeOutURL: payout.queueTimeoutUrl,
    });
    expect(String(body.SecurityCredential)).toHaveLength(344);
    expect(decryptWithSimulatorKey(String(body.SecurityCredential))).toBe(SANDBOX_INITIATOR_PASSWORD);
    expect(JSON.stringify(body)).not.toContain(SANDBOX_INITIATOR_PASSWORD);

    const [result] = await resultsFor(payout);
    expect(result).toMatchObject({
      resultCode: "0",
      originatorConversationId: payout.originatorConversationId,
      conversationId: accepted.conversationId,
      amount: 500,
      recipientName: "254712345678 - SIMULATED RECIPIENT",
    });
    expect(result?.receipt).toMatch(/^[A-Z][A-Z0-9]{9}$/);
    expect(result?.parameters.TransactionCompletedDateTime).toMatch(
      /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/,
    );
  });

  it.each([
    ["insufficient funds", SIMULATOR_PHONES.insufficientFunds, "1"],
    ["initiator invalid", SIMULATOR_PHONES.wrongPin, "2001"],
    ["unregistered recipient", SIMULATOR_PHONES.unregisteredRecipient, "2040"],
  ])("%s (%s): the result says %s, with no parameters", async (_what, number, code) => {
    const payout = aPayoutRequest(rig.receiver, { phone: phone(number) });
    okValue(await rig.gateway.b2cPayment(payout));
    const [result] = await resultsFor(payout);
    expect(result).toMatchObject({ resultCode: code, receipt: null, amount: null, parameters: {} });
  });

  it(`${SIMULATOR_PHONES.duplicateCallbacks}: completed, and the result is delivered twice`, async () => {
    const payout = aPayoutRequest(rig.receiver, { phone: phone(SIMULATOR_PHONES.duplicateCallbacks) });
    okValue(await rig.gateway.b2cPayment(payout));
    const [first, second] = await resultsFor(payout, 2);
    expect(first?.resultCode).toBe("0");
    expect(second).toEqual(first);
  });

  it(`${SIMULATOR_PHONES.queueTimeout}: a queue timeout, then Transaction Status says completed`, async () => {
    const payout = aPayoutRequest(rig.receiver, { phone: phone(SIMULATOR_PHONES.queueTimeout) });
    okValue(await rig.gateway.b2cPayment(payout));

    const [timeout] = await rig.receiver.waitFor(pathOf(payout.queueTimeoutUrl));
    expect(okValue(parseB2cQueueTimeout(timeout?.body)).originatorConversationId).toBe(
      payout.originatorConversationId,
    );
    await rig.simulator.whenIdle();
    expect(rig.receiver.received(pathOf(payout.resultUrl))).toHaveLength(0);

    const statusUrl = `${rig.receiver.url}/api/mpesa/status/result/status-token-1`;
    const ack = okValue(
      await rig.gateway.transactionStatus({
        account: payout.account,
        originatorConversationId: payout.originatorConversationId,
        resultUrl: statusUrl,
        queueTimeoutUrl: `${rig.receiver.url}/api/mpesa/status/timeout/status-token-1`,
      }),
    );
    expect(ack.conversationId).toMatch(/^AG_/);
    expect(rig.simulator.stats().transactionStatusRequests).toBe(1);

    const [status] = await rig.receiver.waitFor(pathOf(statusUrl));
    const result = okValue(parseB2cResult(status?.body));
    expect(result).toMatchObject({
      resultCode: "0",
      transactionStatus: "Completed",
      amount: 500,
      receipt: rig.simulator.payout(payout.originatorConversationId)?.receipt,
      recipientName: `${SIMULATOR_PHONES.queueTimeout} - SIMULATED RECIPIENT`,
    });
    expect(result.parameters.OriginatorConversationID).toBe(payout.originatorConversationId);
  });

  it("refuses a second request with the same OriginatorConversationID, and reports the first as accepted, never sent twice", async () => {
    const payout = aPayoutRequest(rig.receiver);
    okValue(await rig.gateway.b2cPayment(payout));
    const failure = failureOf(await rig.gateway.b2cPayment(payout));
    expect(failure.type).toBe("already_accepted");
    expect(failure.message).toContain("already has a payout with this reference");

    await rig.simulator.whenIdle();
    expect(rig.receiver.received(pathOf(payout.resultUrl))).toHaveLength(1);
  });

  it("checks the initiator password it knows; any password goes for an initiator it does not know", async () => {
    const wrong = aPayoutRequest(rig.receiver);
    okValue(await rig.gateway.b2cPayment(withAccount(wrong, { initiatorPassword: "Safaricom999!" })));
    expect((await resultsFor(wrong))[0]?.resultCode).toBe("2001");

    const configured = aPayoutRequest(rig.receiver);
    okValue(
      await rig.gateway.b2cPayment(
        withAccount(configured, { initiatorName: "payme_ops", initiatorPassword: "Op3rator#2026" }),
      ),
    );
    expect((await resultsFor(configured))[0]?.resultCode).toBe("0");

    const unknown = aPayoutRequest(rig.receiver);
    okValue(
      await rig.gateway.b2cPayment(
        withAccount(unknown, { initiatorName: "someone", initiatorPassword: "whatever" }),
      ),
    );
    expect((await resultsFor(unknown))[0]?.resultCode).toBe("0");
  });

  it("fails with 2001 when the credential was encrypted with Safaricom's certificate instead of the simulator's", async () => {
    const sandboxCertified = rig.gatewayWith({ certificate: darajaCertificate("sandbox") });
    const payout = aPayoutRequest(rig.receiver);
    okValue(await sandboxCertified.b2cPayment(payout));
    expect((await resultsFor(payout))[0]?.resultCode).toBe("2001");
  });

  it("names the refused field, with the payout limits in the message", async () => {
    const failure = failureOf(
      await rig.gateway.b2cPayment(aPayoutRequest(rig.receiver, { amount: Kes.restore(5) })),
    );
    expect(failure).toMatchObject({ type: "invalid_field", field: "Amount" });
    expect(failure.message).toContain("10 to 250,000");
  });
});
