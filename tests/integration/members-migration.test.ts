import { describe, expect, it } from "vitest";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { seedOwner } from "../contracts/harness.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const BEFORE = "migration-20261204194500-daraja-tokens";

/**
 * The migration that adds memberships makes each existing business's owner its `owner` member, so that nobody
 * loses access to what they had; its down() takes the tables away again.
 */
describe.each(testDatabaseKinds())("the members migration, on %s", (kind) => {
  it("backfills every business's owner as its owner, and goes down and up again", async () => {
    const { database, drop } = await openTestDatabase(kind);
    try {
      const uow = new MikroOrmUnitOfWork(database);
      const { user, business } = await seedOwner(uow);
      const migrator = database.orm.getMigrator();
      await migrator.down({ to: BEFORE });
      const sql = database.orm.em.fork().getConnection();
      const [table] = await sql.execute<{ found: string | null }[]>(
        `select to_regclass('business_members')::text as found`,
      );
      expect(table?.found).toBeNull();
      // The business is an old row the membership table has never seen.
      await migrator.up();
      expect(await uow.run((r) => r.members.listForUser(user.id))).toEqual([
        { business: expect.objectContaining({ id: business.id }), role: "owner" },
      ]);
    } finally {
      await drop();
    }
  });
});
