import { describe, expect, it } from "vitest";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { ConfigVerification } from "../../src/domain/config-verification.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { anId, aPhone, aSale, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const BEFORE = "migration-20261204124526-callback-audit-purge";

/**
 * The migration that adds the payment locator fills it in from the payments already stored: each one is found by
 * its callback token hash, and by its CheckoutRequestID when it has one.
 */
describe.each(testDatabaseKinds())("the payment locator migration, on %s", (kind) => {
  it("names every stored STK payment by its token and its CheckoutRequestID", async () => {
    const { database, drop } = await openTestDatabase(kind);
    try {
      const uow = new MikroOrmUnitOfWork(database);
      const { user, business } = await seedOwner(uow);
      const config = await seedConfig(uow, business.id);
      const purchase = aWalletPurchase(user.id);
      const sale = aSale(business.id, { paymentConfigId: config.id });
      const verification = ConfigVerification.create({
        id: anId(),
        businessId: business.id,
        paymentConfigId: config.id,
        phone: aPhone(),
        callbackTokenHash: `hash-${anId()}`,
        createdAt: T0,
      });
      unwrap(purchase.recordCheckout(`ws_CO_${purchase.id}`, "mr-1"));
      unwrap(verification.recordCheckout(`ws_CO_${verification.id}`, "mr-2"));
      await uow.run(async (r) => {
        await r.walletPurchases.add(purchase);
        await r.sales.add(sale);
        await r.configVerifications.add(verification);
      });

      // Back to a database without the locator: the payments are old rows it has never seen.
      const migrator = database.orm.getMigrator();
      await migrator.down({ to: BEFORE });
      const sql = database.orm.em.fork().getConnection();
      const [table] = await sql.execute<{ found: string | null }[]>(
        `select to_regclass('payment_locators')::text as found`,
      );
      expect(table?.found).toBeNull();

      await migrator.up();

      const find = (channel: "callback_token" | "checkout_request_id", key: string) =>
        uow.run((r) => r.paymentLocators.find(channel, key));
      expect(await find("callback_token", purchase.callbackTokenHash)).toEqual({
        kind: "wallet_purchase",
        paymentId: purchase.id,
      });
      expect(await find("checkout_request_id", `ws_CO_${purchase.id}`)).toEqual({
        kind: "wallet_purchase",
        paymentId: purchase.id,
      });
      expect(await find("callback_token", sale.callbackTokenHash)).toEqual({
        kind: "sale",
        paymentId: sale.id,
      });
      expect(await find("callback_token", verification.callbackTokenHash)).toEqual({
        kind: "config_verification",
        paymentId: verification.id,
      });
      expect(await find("checkout_request_id", `ws_CO_${verification.id}`)).toEqual({
        kind: "config_verification",
        paymentId: verification.id,
      });
      // The sale never learned its CheckoutRequestID: it has no such locator row.
      const [rows] = await sql.execute<{ count: number }[]>(
        `select count(*)::int as count from payment_locators where payment_id = ?`,
        [sale.id],
      );
      expect(rows?.count).toBe(1);
    } finally {
      await drop();
    }
  });
});
