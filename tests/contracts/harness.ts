import { afterAll, beforeAll, describe } from "vitest";
import { InMemoryUnitOfWork } from "../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import type { UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import type { Business } from "../../src/domain/business.ts";
import type { PaymentConfig } from "../../src/domain/payment-config.ts";
import type { User } from "../../src/domain/user.ts";
import { aBusiness, aPaymentConfig, aUser } from "../support/builders.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";

export type AdapterUnderTest = {
  /** The unit of work over the adapter; the same store for the whole suite. */
  readonly uow: () => UnitOfWork;
};

/**
 * Runs one suite of behaviour against the in-memory adapter and against the database (PostgreSQL, or
 * PGlite when no server is available), so that both adapters provably behave alike.
 */
export function describeContract(title: string, suite: (adapter: AdapterUnderTest) => void): void {
  describe(`${title} — in-memory`, () => {
    const uow = new InMemoryUnitOfWork();
    suite({ uow: () => uow });
  });

  describe(`${title} — ${onPostgres() ? "PostgreSQL" : "PGlite"}`, () => {
    let uow: UnitOfWork | null = null;
    beforeAll(async () => {
      uow = new MikroOrmUnitOfWork(await fileDatabase.acquire());
    });
    afterAll(() => fileDatabase.release());
    suite({
      uow: () => {
        if (uow === null) {
          throw new Error("the test database is not open yet");
        }
        return uow;
      },
    });
  });
}

/** One database per test file, shared by its suites: opened by the first, dropped after the last. */
const fileDatabase = {
  users: 0,
  opened: null as Promise<{ database: Database; drop: () => Promise<void> }> | null,
  async acquire(): Promise<Database> {
    this.users += 1;
    this.opened ??= openTestDatabase();
    return (await this.opened).database;
  },
  async release(): Promise<void> {
    this.users -= 1;
    if (this.users === 0 && this.opened !== null) {
      const { drop } = await this.opened;
      this.opened = null;
      await drop();
    }
  },
};

/** A user and their business, stored: what most rows need as foreign keys. */
export async function seedOwner(uow: UnitOfWork): Promise<{ user: User; business: Business }> {
  const user = aUser();
  const business = aBusiness(user.id);
  await uow.run(async (r) => {
    await r.users.add(user);
    await r.businesses.add(business);
  });
  return { user, business };
}

/** A stored, active payment config for the business. */
export async function seedConfig(uow: UnitOfWork, businessId: string): Promise<PaymentConfig> {
  const config = aPaymentConfig(businessId);
  await uow.run((r) => r.paymentConfigs.add(config));
  return config;
}
