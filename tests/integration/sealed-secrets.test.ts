import { describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { RotateSecrets } from "../../src/application/payment-configs/rotate-secrets.ts";
import { SECRET_FIELDS, secretBinding } from "../../src/domain/sealed-secret.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { LEGACY_SEALED } from "../support/legacy-sealed-secrets.ts";
import { eventually, payMeSuite } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { testDatabaseKinds } from "../support/test-database.ts";

const PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

describe.each(testDatabaseKinds())("secrets sealed for their business and field, on %s", (kind) => {
  const suite = payMeSuite({ delayMs: 30, database: kind });
  const app = () => suite.payme.app;
  const uow = () => new MikroOrmUnitOfWork(suite.database);
  const box = () => resolve(suite.payme.container, PORTS.secretBox);
  const sql = <T>(query: string, values: unknown[] = []) =>
    suite.database.orm.em.fork().getConnection().execute(query, values) as Promise<T>;

  /** A business with a till (its own Daraja app too) and a payout config, both set up through the API. */
  const shop = async () => {
    const user = await signUpThroughApi(app());
    const till = await app().request(
      "/api/payment-config/setup",
      jsonRequest(
        "POST",
        {
          paymentMethod: "till",
          shortcode: "5500600",
          passkey: PASSKEY,
          accountName: "Sealed Shop",
          consumerKey: "own-app-key",
          consumerSecret: "own-app-secret",
        },
        user.token,
      ),
    );
    expect(till.status).toBe(201);
    const payouts = await app().request(
      "/api/payout-config/setup",
      jsonRequest(
        "POST",
        {
          shortcode: "600996",
          initiatorName: SANDBOX_INITIATOR_NAME,
          initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
          consumerKey: "own-payout-key",
          consumerSecret: "own-payout-secret",
        },
        user.token,
      ),
    );
    expect(payouts.status).toBe(201);
    return user;
  };
  const sealedColumns = async (businessId: string) => {
    const [payment] = await sql<{ passkey_sealed: string; consumer_secret_sealed: string }[]>(
      "select passkey_sealed, consumer_secret_sealed from payment_configs where business_id = ? and is_active",
      [businessId],
    );
    const [payout] = await sql<{ initiator_password_sealed: string; consumer_secret_sealed: string }[]>(
      "select initiator_password_sealed, consumer_secret_sealed from payout_configs where business_id = ? and is_active",
      [businessId],
    );
    if (payment === undefined || payout === undefined) {
      throw new Error("configs missing");
    }
    return { payment, payout };
  };
  const configsOf = (businessId: string) =>
    uow().run(async (r) => {
      const payment = await r.paymentConfigs.findActiveByBusiness(businessId);
      const payout = await r.payoutConfigs.findActiveByBusiness(businessId);
      if (payment?.ownApp == null || payout?.ownApp == null) {
        throw new Error("configs missing");
      }
      return { payment, payout, paymentApp: payment.ownApp, payoutApp: payout.ownApp };
    });
  const payOut = async (user: { token: string; businessId: string }, phone: string) =>
    app().request(
      "/api/payouts",
      jsonRequest("POST", { businessId: user.businessId, phone, amount: 100 }, user.token),
    );

  it("a passkey copied to another business's row, or into another field, does not open", async () => {
    const [a, b] = [await shop(), await shop()];
    const sealedA = await sealedColumns(a.businessId);
    await sql("update payment_configs set passkey_sealed = ? where business_id = ? and is_active", [
      sealedA.payment.passkey_sealed,
      b.businessId,
    ]);
    const { payment: copied } = await configsOf(b.businessId);
    expect(copied.passkey).toBe(sealedA.payment.passkey_sealed);
    await expect(
      box().open(copied.passkey, secretBinding(b.businessId, SECRET_FIELDS.passkey)),
    ).rejects.toThrow(/does not open/);

    // Within one business: the passkey moved into the consumer secret's column.
    await sql("update payment_configs set consumer_secret_sealed = ? where business_id = ? and is_active", [
      sealedA.payment.passkey_sealed,
      a.businessId,
    ]);
    const own = await configsOf(a.businessId);
    await expect(
      box().open(
        own.paymentApp.consumerSecret,
        secretBinding(a.businessId, SECRET_FIELDS.paymentConsumerSecret),
      ),
    ).rejects.toThrow(/does not open/);
    // Where it belongs, it still opens.
    expect(await box().open(own.payment.passkey, secretBinding(a.businessId, SECRET_FIELDS.passkey))).toBe(
      PASSKEY,
    );

    // B's push is never sent with a passkey that is not B's.
    const pushesBefore = suite.simulator.stats().stkPushes;
    const verify = await app().request(
      "/api/payment-config/verify",
      jsonRequest("POST", { phone: "0712345678" }, b.token),
    );
    expect(verify.status).toBe(500);
    expect(suite.simulator.stats().stkPushes).toBe(pushesBefore);
    expect(suite.payme.logLines().join("\n")).not.toContain(PASSKEY);
  });

  it("an initiator password copied to another business's payout config does not open: nothing is stored or sent", async () => {
    const [a, b] = [await shop(), await shop()];
    const sealedA = await sealedColumns(a.businessId);
    await sql("update payout_configs set initiator_password_sealed = ? where business_id = ? and is_active", [
      sealedA.payout.initiator_password_sealed,
      b.businessId,
    ]);
    const before = suite.simulator.stats().b2cRequests;
    const refused = await payOut(b, "0712345678");
    expect(refused.status).toBe(500);
    expect(suite.simulator.stats().b2cRequests).toBe(before);
    const [stored] = await sql<{ n: number }[]>(
      "select count(*)::int as n from payouts where business_id = ?",
      [b.businessId],
    );
    expect(stored?.n).toBe(0);
    const logs = suite.payme.logLines().join("\n");
    expect(logs).toContain("does not open");
    expect(logs).not.toContain(SANDBOX_INITIATOR_PASSWORD);

    // The other field of the same config: the consumer secret's sealed text in the password's place.
    await sql("update payout_configs set initiator_password_sealed = ? where business_id = ? and is_active", [
      sealedA.payout.consumer_secret_sealed,
      a.businessId,
    ]);
    expect((await payOut(a, "0712345678")).status).toBe(500);
    expect(suite.simulator.stats().b2cRequests).toBe(before);
  });

  it("secrets sealed before binding keep working until rotate-keys re-seals them, bound to their row", async () => {
    const user = await shop();
    await sql(
      "update payment_configs set passkey_sealed = ?, consumer_secret_sealed = ? where business_id = ? and is_active",
      [LEGACY_SEALED.passkey.sealed, LEGACY_SEALED.paymentConsumerSecret.sealed, user.businessId],
    );
    await sql(
      "update payout_configs set initiator_password_sealed = ?, consumer_secret_sealed = ? where business_id = ? and is_active",
      [LEGACY_SEALED.initiatorPassword.sealed, LEGACY_SEALED.payoutConsumerSecret.sealed, user.businessId],
    );
    const openAll = async () => {
      const { payment, payout, paymentApp, payoutApp } = await configsOf(user.businessId);
      const bound = (field: (typeof SECRET_FIELDS)[keyof typeof SECRET_FIELDS]) =>
        secretBinding(user.businessId, field);
      return [
        await box().open(payment.passkey, bound(SECRET_FIELDS.passkey)),
        await box().open(paymentApp.consumerSecret, bound(SECRET_FIELDS.paymentConsumerSecret)),
        await box().open(payout.initiatorPassword, bound(SECRET_FIELDS.initiatorPassword)),
        await box().open(payoutApp.consumerSecret, bound(SECRET_FIELDS.payoutConsumerSecret)),
      ];
    };
    const plaintexts = [
      LEGACY_SEALED.passkey.plaintext,
      LEGACY_SEALED.paymentConsumerSecret.plaintext,
      LEGACY_SEALED.initiatorPassword.plaintext,
      LEGACY_SEALED.payoutConsumerSecret.plaintext,
    ];
    expect(await openAll()).toEqual(plaintexts);
    const completes = async () => {
      const response = await payOut(user, "0712345678");
      expect(response.status).toBe(202);
      const { payout } = (await response.json()) as { payout: { id: string } };
      return eventually(async () => {
        const current = (await (
          await app().request(`/api/payouts/${payout.id}`, bearer(user.token))
        ).json()) as {
          payout: { status: string };
        };
        return current.payout.status === "pending" ? undefined : current.payout.status;
      });
    };
    // The simulator decrypts the SecurityCredential: the old row's password opened and was the right one.
    expect(await completes()).toBe("completed");

    const rotate = new RotateSecrets({ uow: uow(), secretBox: box() });
    const report = await rotate.execute();
    expect(report).toMatchObject({ resealed: 2, unreadable: [] });
    const columns = await sealedColumns(user.businessId);
    for (const sealed of [
      columns.payment.passkey_sealed,
      columns.payment.consumer_secret_sealed,
      columns.payout.initiator_password_sealed,
      columns.payout.consumer_secret_sealed,
    ]) {
      expect(sealed.startsWith("v2.")).toBe(true);
    }
    expect(await openAll()).toEqual(plaintexts);
    expect((await rotate.execute()).resealed).toBe(0);
    expect(await completes()).toBe("completed");

    // Now bound: the re-sealed passkey opens in no other business's row.
    const other = await shop();
    await sql("update payment_configs set passkey_sealed = ? where business_id = ? and is_active", [
      columns.payment.passkey_sealed,
      other.businessId,
    ]);
    const { payment: moved } = await configsOf(other.businessId);
    await expect(
      box().open(moved.passkey, secretBinding(other.businessId, SECRET_FIELDS.passkey)),
    ).rejects.toThrow(/does not open/);
  });
});
