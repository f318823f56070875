import { describe, expect, it } from "vitest";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { aSale } from "../support/builders.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const BEFORE = "migration-20261204155636-outbox-events";

/** The migration that adds sale references gives every stored sale one, unique within its business. */
describe.each(testDatabaseKinds())("the sale references migration, on %s", (kind) => {
  it("numbers the sales already stored, per business, in the references' alphabet; down() takes the column away", async () => {
    const { database, drop } = await openTestDatabase(kind);
    try {
      const uow = new MikroOrmUnitOfWork(database);
      const { business } = await seedOwner(uow);
      const { business: other } = await seedOwner(uow);
      const config = await seedConfig(uow, business.id);
      const otherConfig = await seedConfig(uow, other.id);
      const sales = [
        aSale(business.id, { paymentConfigId: config.id }),
        aSale(business.id, { paymentConfigId: config.id }),
        aSale(business.id, { paymentConfigId: config.id }),
        aSale(other.id, { paymentConfigId: otherConfig.id }),
      ];
      await uow.run(async (r) => {
        for (const sale of sales) {
          await r.sales.add(sale);
        }
      });
      const migrator = database.orm.getMigrator();
      await migrator.down({ to: BEFORE });
      const sql = database.orm.em.fork().getConnection();
      const columns = await sql.execute<{ name: string }[]>(
        `select column_name as name from information_schema.columns where table_name = 'sales' and column_name = 'reference'`,
      );
      expect(columns).toEqual([]);

      await migrator.up();

      const rows = await sql.execute<{ id: string; business_id: string; reference: string }[]>(
        `select id, business_id, reference from sales order by business_id, id`,
      );
      const ofBusiness = rows.filter((row) => row.business_id === business.id).map((row) => row.reference);
      expect(ofBusiness).toHaveLength(3);
      expect(new Set(ofBusiness).size).toBe(3);
      for (const reference of ofBusiness) {
        expect(reference).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
      }
      // Numbered in the order the sales were made, from the first.
      const byId = [...rows.filter((row) => row.business_id === business.id)].sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
      expect(byId.map((row) => row.reference)).toEqual(["222223", "222224", "222225"]);
      expect(rows.find((row) => row.business_id === other.id)?.reference).toBe("222223");
      const read = await uow.run((r) => r.sales.findById(sales[0]?.id ?? ""));
      expect(read?.reference.value).toMatch(/^2222/);
    } finally {
      await drop();
    }
  });
});
