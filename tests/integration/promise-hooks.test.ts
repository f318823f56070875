import { executionAsyncId } from "node:async_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { seedOwner } from "../contracts/harness.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * True when Node's promise hooks are on. They are off until something enters an AsyncLocalStorage (MikroORM's
 * `em.transactional` and its flush do), and then stay on for the life of the process: every promise of every
 * request pays for them. With them off, a promise continuation has no async id of its own.
 */
async function promiseHooksOn(): Promise<boolean> {
  await null;
  return executionAsyncId() !== 0;
}

describe("the database leaves Node's promise hooks off", () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
  });
  afterAll(() => drop());

  it("after the migrations, pg-boss's install and the adoption of orphaned deliveries, and a unit of work", async () => {
    // The check means something only if nothing turned them on before.
    expect(await promiseHooksOn()).toBe(false);

    await database.migrate();
    const uow = new MikroOrmUnitOfWork(database);
    const { user } = await seedOwner(uow);
    expect(await uow.read((r) => r.users.findById(user.id))).not.toBeNull();

    expect(await promiseHooksOn()).toBe(false);
  });
});
