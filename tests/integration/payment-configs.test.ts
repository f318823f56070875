import { describe, expect, it } from "vitest";
import { SystemClock } from "../../src/adapters/clock/system-clock.ts";
import { AesGcmSecretBox } from "../../src/adapters/crypto/aes-gcm-secret-box.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { RotateSecrets } from "../../src/application/payment-configs/rotate-secrets.ts";
import { SetUpPaymentConfig } from "../../src/application/payment-configs/set-up-payment-config.ts";
import { SetUpPayoutConfig } from "../../src/application/payouts/set-up-payout-config.ts";
import { InitiatorName } from "../../src/domain/initiator-name.ts";
import { InitiatorPassword } from "../../src/domain/initiator-password.ts";
import { SECRET_FIELDS, secretBinding } from "../../src/domain/sealed-secret.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { seedOwner } from "../contracts/harness.ts";
import { aCredential, anAccountName, aShortcode, asOwner, unwrap } from "../support/builders.ts";
import { eventually, payMeSuite } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi, TEST_ENCRYPTION_KEY } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

type Json = Record<string, unknown>;
type Config = { id: string; verified: boolean; lastVerification: Json | null } & Json;

const PASSKEY = "a-very-secret-passkey-0123456789abcdef";
const CONSUMER_SECRET = "own-app-consumer-secret-XYZ";

describe("per-business payment configuration", () => {
  const suite = payMeSuite({ delayMs: 250 });

  const setUp = (token: string, body: Json) =>
    suite.payme.app.request("/api/payment-config/setup", jsonRequest("POST", body, token));
  const getConfig = async (token: string, businessId?: string) =>
    suite.payme.app.request(
      `/api/payment-config${businessId === undefined ? "" : `?businessId=${businessId}`}`,
      bearer(token),
    );
  const configOf = async (token: string) =>
    ((await (await getConfig(token)).json()) as { config: Config }).config;

  it("sets up a paybill and a till, and reads them back without any secret", async () => {
    const paybillOwner = await signUpThroughApi(suite.payme.app);
    const paybill = await setUp(paybillOwner.token, {
      paymentMethod: "paybill",
      shortcode: "600100",
      passkey: PASSKEY,
      accountReference: "SHOP01",
      accountName: "Mama Mboga",
    });
    expect(paybill.status).toBe(201);
    const paybillText = await paybill.text();
    expect(JSON.parse(paybillText).config).toMatchObject({
      paymentMethod: "paybill",
      shortcode: "600100",
      storeNumber: "600100",
      accountReference: "SHOP01",
      accountName: "Mama Mboga",
      hasOwnDarajaApp: false,
      verified: false,
      isActive: true,
      lastVerification: null,
    });

    const tillOwner = await signUpThroughApi(suite.payme.app, { businessName: "Kinyozi Bora Ltd" });
    const till = await setUp(tillOwner.token, {
      payment_method: "till",
      shortcode: 5123456,
      store_number: "600200",
      passkey: PASSKEY,
      account_name: "Kinyozi Bora",
      consumerKey: "own-app-key",
      consumerSecret: CONSUMER_SECRET,
    });
    expect(till.status).toBe(201);
    const tillText = await till.text();
    expect(JSON.parse(tillText).config).toMatchObject({
      paymentMethod: "till",
      shortcode: "5123456",
      storeNumber: "600200",
      accountReference: null,
      hasOwnDarajaApp: true,
    });
    const readBack = await (await getConfig(tillOwner.token)).text();
    for (const text of [paybillText, tillText, readBack]) {
      expect(text).not.toContain(PASSKEY);
      expect(text).not.toContain(CONSUMER_SECRET);
      expect(text).not.toMatch(/passkey|consumerSecret|sealed/i);
    }

    const signIn = await suite.payme.app.request(
      "/auth/sign-in",
      jsonRequest("POST", { email: tillOwner.email, password: tillOwner.password }),
    );
    expect(((await signIn.json()) as Json).setupNeeded).toBe(false);
  });

  it("keeps no plaintext passkey or consumer secret in the database row", async () => {
    const owner = await signUpThroughApi(suite.payme.app);
    await setUp(owner.token, {
      paymentMethod: "till",
      shortcode: "5100100",
      passkey: PASSKEY,
      accountName: "Row Check",
      consumerKey: "row-key",
      consumerSecret: CONSUMER_SECRET,
    });
    const rows = await suite.database.orm.em.fork().execute("select * from payment_configs");
    const raw = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(raw).not.toContain(PASSKEY);
    expect(raw).not.toContain(CONSUMER_SECRET);
    expect(raw).toContain('"v2.');
  });

  it("replaces the active config and keeps the old one inactive", async () => {
    const owner = await signUpThroughApi(suite.payme.app);
    const first = await setUp(owner.token, {
      paymentMethod: "till",
      shortcode: "5200001",
      passkey: PASSKEY,
      accountName: "A",
    });
    const second = await setUp(owner.token, {
      paymentMethod: "till",
      shortcode: "5200002",
      passkey: PASSKEY,
      accountName: "B",
    });
    const firstId = ((await first.json()) as { config: Config }).config.id;
    expect((await configOf(owner.token)).shortcode).toBe("5200002");
    expect(((await second.json()) as { config: Config }).config.id).not.toBe(firstId);
    const old = await resolve(suite.payme.container, PORTS.unitOfWork).run((r) =>
      r.paymentConfigs.findById(firstId),
    );
    expect(old?.active).toBe(false);
  });

  it("names each broken field, and accepts the seed's snake_case names", async () => {
    const owner = await signUpThroughApi(suite.payme.app);
    const broken = await setUp(owner.token, { paymentMethod: "bank", shortcode: "12", accountName: "" });
    expect(broken.status).toBe(400);
    const problem = (await broken.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors.map((e) => e.path).sort()).toEqual([
      "accountName",
      "passkey",
      "paymentMethod",
      "shortcode",
    ]);
    const noReference = await setUp(owner.token, {
      payment_method: "paybill",
      shortcode: "600300",
      passkey: PASSKEY,
      account_name: "X",
    });
    expect(noReference.status).toBe(400);
    expect(((await noReference.json()) as { errors: { path: string }[] }).errors).toEqual([
      { path: "accountReference", message: "is required for a paybill" },
    ]);
    const longReference = await setUp(owner.token, {
      paymentMethod: "paybill",
      shortcode: "600300",
      passkey: PASSKEY,
      accountReference: "WAY-TOO-LONG-REFERENCE",
      accountName: "X",
    });
    expect(
      ((await longReference.json()) as { errors: { path: string }[] }).errors.map((e) => e.path),
    ).toEqual(["accountReference"]);
    expect((await getConfig(owner.token)).status).toBe(404);
  });

  it("verifies a config with a paid KES 1 push, and shows a failed attempt's reason", async () => {
    const good = await signUpThroughApi(suite.payme.app);
    await setUp(good.token, {
      paymentMethod: "paybill",
      shortcode: "600400",
      passkey: PASSKEY,
      accountReference: "V1",
      accountName: "Good",
    });
    const started = await suite.payme.app.request(
      "/api/payment-config/verify",
      jsonRequest("POST", { phone: "0712345678" }, good.token),
    );
    expect(started.status).toBe(202);
    expect(((await started.json()) as { verification: Json }).verification).toMatchObject({
      status: "pending",
      amount: 1,
    });
    const verified = await eventually(async () => {
      const config = await configOf(good.token);
      return config.verified ? config : undefined;
    });
    expect(verified.lastVerification).toMatchObject({ status: "paid", phone: "254712345678" });
    const push = suite.simulator.stkPushBodies().at(-1);
    expect(push).toMatchObject({
      Amount: 1,
      BusinessShortCode: "600400",
      PartyB: "600400",
      AccountReference: "V1",
    });

    const bad = await signUpThroughApi(suite.payme.app);
    await setUp(bad.token, {
      paymentMethod: "till",
      shortcode: "5400500",
      passkey: PASSKEY,
      accountName: "Bad",
    });
    await suite.payme.app.request(
      "/api/payment-config/verify",
      jsonRequest("POST", { phone: "254700000004" }, bad.token),
    );
    const failed = await eventually(async () => {
      const config = await configOf(bad.token);
      return config.lastVerification?.status === "failed" ? config : undefined;
    });
    expect(failed.verified).toBe(false);
    expect(failed.lastVerification).toMatchObject({ resultCode: "2001", failureReason: "wrong M-Pesa PIN" });
  });

  it("pushes a till with CustomerBuyGoodsOnline, through the business's own Daraja app and its own token", async () => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Duka la Baraka & Sons" });
    await setUp(owner.token, {
      paymentMethod: "till",
      shortcode: "5500600",
      storeNumber: "600700",
      passkey: PASSKEY,
      accountName: "Baraka",
      consumerKey: "baraka-own-app",
      consumerSecret: CONSUMER_SECRET,
    });
    expect(suite.simulator.stats().oauthRequests["baraka-own-app"] ?? 0).toBe(0);
    await suite.payme.app.request(
      "/api/payment-config/verify",
      jsonRequest("POST", { phone: "0799000111" }, owner.token),
    );
    await suite.payme.app.request(
      "/api/payment-config/verify",
      jsonRequest("POST", { phone: "0799000112" }, owner.token),
    );
    expect(suite.simulator.stats().oauthRequests["baraka-own-app"]).toBe(1);
    expect(suite.simulator.stkPushBodies().at(-1)).toMatchObject({
      TransactionType: "CustomerBuyGoodsOnline",
      BusinessShortCode: "600700",
      PartyB: "5500600",
      AccountReference: "DukalaBaraka",
    });
  });

  it("answers a business without a config with 422 payment_config_missing", async () => {
    const owner = await signUpThroughApi(suite.payme.app);
    const response = await suite.payme.app.request(
      "/api/payment-config/verify",
      jsonRequest("POST", { phone: "0712345678" }, owner.token),
    );
    expect(response.status).toBe(422);
    expect(((await response.json()) as Json).code).toBe("payment_config_missing");
  });

  it("re-seals every secret from key 1 to key 2; then key 2 alone opens them all", async () => {
    const key1 = Buffer.alloc(32, 11).toString("base64");
    const key2 = Buffer.alloc(32, 22).toString("base64");
    const uow = new MikroOrmUnitOfWork(suite.database);
    const deps = { uow, ids: new UuidV7IdGenerator(), clock: new SystemClock() };
    const owners = await Promise.all([seedOwner(uow), seedOwner(uow), seedOwner(uow)]);
    for (const [index, { user, business }] of owners.entries()) {
      const result = await new SetUpPaymentConfig({ ...deps, secretBox: new AesGcmSecretBox(key1) }).execute({
        access: asOwner(user.id, business.id, "configs:manage"),
        paymentMethod: "till",
        shortcode: aShortcode(`56000${index}1`),
        storeNumber: null,
        accountReference: null,
        passkey: aCredential(`passkey-${index}`),
        accountName: anAccountName(`Owner ${index}`),
        consumerKey: aCredential(`key-${index}`, "consumerKey"),
        consumerSecret: aCredential(`secret-${index}`, "consumerSecret"),
      });
      expect(result.ok).toBe(true);
    }
    const payoutOwner = owners[0];
    if (payoutOwner === undefined) {
      throw new Error("no owner");
    }
    const payoutConfig = await new SetUpPayoutConfig({
      ...deps,
      secretBox: new AesGcmSecretBox(key1),
    }).execute({
      access: asOwner(payoutOwner.user.id, payoutOwner.business.id, "configs:manage"),
      shortcode: aShortcode("600996"),
      initiatorName: unwrap(InitiatorName.parse("testapi")),
      initiatorPassword: unwrap(InitiatorPassword.parse("initiator-secret")),
      consumerKey: "payout-key",
      consumerSecret: "payout-consumer-secret",
    });
    expect(payoutConfig.ok).toBe(true);
    // The other tests' configs were sealed under the test key: it is retired too.
    const rotating = new AesGcmSecretBox(key2, [key1, TEST_ENCRYPTION_KEY]);
    const report = await new RotateSecrets({ uow, secretBox: rotating }).execute();
    expect(report.resealed).toBeGreaterThanOrEqual(3);
    expect(report.unreadable).toEqual([]);
    expect((await new RotateSecrets({ uow, secretBox: rotating }).execute()).resealed).toBe(0);
    const missingKey = await new RotateSecrets({ uow, secretBox: new AesGcmSecretBox(key1) }).execute();
    expect(missingKey.unreadable.length).toBe(missingKey.examined);

    const onlyKey2 = new AesGcmSecretBox(key2);
    for (const [index, { business }] of owners.entries()) {
      const config = await uow.run((r) => r.paymentConfigs.findActiveByBusiness(business.id));
      if (config === null || config.ownApp === null) {
        throw new Error("config missing");
      }
      expect(await onlyKey2.open(config.passkey, secretBinding(business.id, SECRET_FIELDS.passkey))).toBe(
        `passkey-${index}`,
      );
      expect(
        await onlyKey2.open(
          config.ownApp.consumerSecret,
          secretBinding(business.id, SECRET_FIELDS.paymentConsumerSecret),
        ),
      ).toBe(`secret-${index}`);
    }
    const everything = await uow.run((r) => r.paymentConfigs.listAfter(null, 10_000));
    expect(everything.every((config) => !onlyKey2.isStale(config.passkey))).toBe(true);
    const payout = await uow.run((r) => r.payoutConfigs.findActiveByBusiness(payoutOwner.business.id));
    if (payout === null || payout.ownApp === null) {
      throw new Error("payout config missing");
    }
    const payoutBusiness = payoutOwner.business.id;
    expect(
      await onlyKey2.open(
        payout.initiatorPassword,
        secretBinding(payoutBusiness, SECRET_FIELDS.initiatorPassword),
      ),
    ).toBe("initiator-secret");
    expect(
      await onlyKey2.open(
        payout.ownApp.consumerSecret,
        secretBinding(payoutBusiness, SECRET_FIELDS.payoutConsumerSecret),
      ),
    ).toBe("payout-consumer-secret");
  });
});

explainSkipUnlessPostgres("concurrent payment-config setups");

describe.skipIf(!onPostgres())("concurrent setups on PostgreSQL", () => {
  it("leave exactly one active config for the business", async () => {
    const { database, drop } = await openTestDatabase();
    try {
      const uow = new MikroOrmUnitOfWork(database);
      const { user, business } = await seedOwner(uow);
      const setUp = new SetUpPaymentConfig({
        uow,
        ids: new UuidV7IdGenerator(),
        clock: new SystemClock(),
        secretBox: new AesGcmSecretBox(Buffer.alloc(32, 3).toString("base64")),
      });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          setUp.execute({
            access: asOwner(user.id, business.id, "configs:manage"),
            paymentMethod: "till",
            shortcode: aShortcode(`57000${i}0`),
            storeNumber: null,
            accountReference: null,
            passkey: aCredential("p"),
            accountName: anAccountName(`T${i}`),
            consumerKey: null,
            consumerSecret: null,
          }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const rows = await database.orm.em
        .fork()
        .execute<{ active: string }[]>(
          "select count(*) as active from payment_configs where business_id = ? and is_active",
          [business.id],
        );
      expect(Number(rows[0]?.active)).toBe(1);
    } finally {
      await drop();
    }
  });
});
