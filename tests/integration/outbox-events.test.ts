import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RandomCallbackSecrets } from "../../src/adapters/crypto/random-callback-secrets.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { noPaymentMetrics } from "../../src/application/ports/payment-metrics.ts";
import { saleView } from "../../src/application/shared/sale-view.ts";
import { ExpireStalePayments } from "../../src/application/stk/expire-stale-payments.ts";
import { outcomeOfCallback } from "../../src/application/stk/stk-outcome.ts";
import { applyStkOutcome } from "../../src/application/stk/stk-settlement.ts";
import type { Sale } from "../../src/domain/sale.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { aSale, T0, unwrap } from "../support/builders.ts";
import { stkKinds as stkPaymentKinds, stkReceiver } from "../support/stk-settlement.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

/** Settling a callback asks Daraja nothing, so it never opens a secret. */
const SUCCESS = { resultCode: "0", resultDesc: "The service request is processed successfully." };
const CANCELLED = { resultCode: "1032", resultDesc: "Request cancelled by user" };

/**
 * The outbox records one event per change of a sale (a new status, a new flag) and a config's first
 * verification, in the transaction of the change: a duplicate records nothing, a rollback leaves nothing.
 */
describe.each(testDatabaseKinds())("the outbox, on %s", (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  let uow: MikroOrmUnitOfWork;
  const secrets = new RandomCallbackSecrets();
  const ids = new UuidV7IdGenerator();
  const clock = new ManualClock(new Date(T0.getTime() + 60_000));
  const stkKinds = stkPaymentKinds();
  const receive = () => stkReceiver({ uow, ids, clock, callbackSecrets: secrets });

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(kind));
    uow = new MikroOrmUnitOfWork(database);
  });
  afterAll(() => drop());

  /** A pending sale of 100 through a fresh, unverified config, and the token of its callback URL. */
  const aPendingSale = async (options: { pushRefused?: boolean; checkout?: boolean } = {}) => {
    const { business } = await seedOwner(uow);
    const config = await seedConfig(uow, business.id);
    const { token, hash } = secrets.issue();
    const sale = aSale(business.id, { paymentConfigId: config.id, amount: 100, callbackTokenHash: hash });
    if (options.pushRefused === true) {
      unwrap(sale.markPushRefused("Invalid Access Token", T0));
    } else if (options.checkout !== false) {
      unwrap(sale.recordCheckout(`ws_CO_${sale.id}`, "mr-1"));
    }
    await uow.run((r) => r.sales.add(sale));
    return { sale, token, businessId: business.id, configId: config.id };
  };
  const callback = (sale: Sale, token: string, result: typeof SUCCESS, amount = 100) =>
    receive().execute({
      token,
      path: "/api/mpesa/callback/t",
      body: {},
      callback: {
        merchantRequestId: "mr-1",
        checkoutRequestId: `ws_CO_${sale.id}`,
        ...result,
        amount: result.resultCode === "0" ? amount : null,
        mpesaReceipt:
          result.resultCode === "0" ? `R${sale.id.replaceAll("-", "").slice(-9).toUpperCase()}` : null,
        phone: result.resultCode === "0" ? "254712345678" : null,
        transactionDate: null,
      },
    });
  const eventsOf = (businessId: string) => uow.run((r) => r.outbox.listForBusiness(businessId));
  const storedSale = async (id: string) => {
    const sale = await uow.run((r) => r.sales.findById(id));
    if (sale === null) {
      throw new Error(`sale ${id} is gone`);
    }
    // As the API sends it: JSON.
    return JSON.parse(JSON.stringify(saleView(sale))) as unknown;
  };

  it("a paid sale records sale.paid once, with the sale as the API shows it, and its config's first verification", async () => {
    const { sale, token, businessId, configId } = await aPendingSale();
    expect((await callback(sale, token, SUCCESS)).disposition).toBe("applied");
    // The same callback again changes nothing, and records nothing.
    expect((await callback(sale, token, SUCCESS)).disposition).toBe("no_change");

    const events = await eventsOf(businessId);
    expect(events.map((e) => e.type)).toEqual(["sale.paid", "payment_config.verified"]);
    const [paid, verified] = events;
    expect(paid).toMatchObject({ businessId, createdAt: clock.now() });
    expect(paid?.data.object).toEqual(await storedSale(sale.id));
    expect(verified?.data.object).toMatchObject({ id: configId, businessId, verified: true });

    // A second sale through the now verified config records its payment, not another verification.
    const config = await uow.run((r) => r.paymentConfigs.findById(configId));
    const second = aSale(businessId, {
      paymentConfigId: config?.id ?? "",
      amount: 100,
      callbackTokenHash: secrets.hashOf("second"),
    });
    unwrap(second.recordCheckout(`ws_CO_${second.id}`, "mr-2"));
    await uow.run((r) => r.sales.add(second));
    await callback(second, "second", SUCCESS);
    expect((await eventsOf(businessId)).map((e) => e.type)).toEqual([
      "sale.paid",
      "payment_config.verified",
      "sale.paid",
    ]);
  });

  it("a cancelled sale records sale.cancelled", async () => {
    const { sale, token, businessId } = await aPendingSale();
    await callback(sale, token, CANCELLED);
    const events = await eventsOf(businessId);
    expect(events.map((e) => e.type)).toEqual(["sale.cancelled"]);
    expect(events[0]?.data.object).toEqual(await storedSale(sale.id));
  });

  it("a flag without a status change records sale.needs_attention alone", async () => {
    const { sale, token, businessId } = await aPendingSale();
    expect((await callback(sale, token, SUCCESS, 1)).disposition).toBe("flagged");
    const events = await eventsOf(businessId);
    expect(events.map((e) => e.type)).toEqual(["sale.needs_attention"]);
    expect(events[0]?.data.object).toMatchObject({ status: "pending", needsAttention: true });
  });

  it("a sale paid after PayMe recorded it failed records sale.paid and sale.needs_attention", async () => {
    const { sale, token, businessId } = await aPendingSale({ pushRefused: true });
    expect((await callback(sale, token, SUCCESS)).disposition).toBe("applied");
    const events = await eventsOf(businessId);
    expect(events.map((e) => e.type)).toEqual([
      "sale.paid",
      "sale.needs_attention",
      "payment_config.verified",
    ]);
    expect(events[1]?.data.object).toMatchObject({ status: "paid", needsAttention: true });
  });

  it("a transaction that rolls back leaves no event", async () => {
    const { sale, token, businessId } = await aPendingSale();
    await expect(
      uow.run(async (r) => {
        const located = await stkKinds.locate(r, { tokenHash: secrets.hashOf(token) }, { lock: true });
        if (located === null) {
          throw new Error("the sale is not found");
        }
        const outcome = outcomeOfCallback({
          merchantRequestId: null,
          checkoutRequestId: `ws_CO_${sale.id}`,
          ...CANCELLED,
          amount: null,
          mpesaReceipt: null,
          phone: null,
          transactionDate: null,
        });
        expect(await applyStkOutcome(r, located, outcome, { now: clock.now(), ids })).toBe("cancelled");
        throw new Error("the connection broke");
      }),
    ).rejects.toThrow("the connection broke");
    expect(await eventsOf(businessId)).toEqual([]);
    expect(await uow.run((r) => r.sales.findById(sale.id))).toMatchObject({ status: "pending" });
  });

  it("expiry records sale.expired, and sale.needs_attention when the push outcome was never known", async () => {
    const { businessId: known } = await aPendingSale();
    const { businessId: unknown } = await aPendingSale({ checkout: false });
    const expire = new ExpireStalePayments({
      uow,
      ids,
      clock: new ManualClock(new Date(T0.getTime() + 3_600_000)),
      expireAfterSeconds: 60,
      metrics: noPaymentMetrics,
      stkKinds,
    });
    expect(await expire.execute({ limit: 100 })).toBeGreaterThanOrEqual(2);
    expect((await eventsOf(known)).map((e) => e.type)).toEqual(["sale.expired"]);
    expect((await eventsOf(unknown)).map((e) => e.type)).toEqual(["sale.expired", "sale.needs_attention"]);
  });
});
