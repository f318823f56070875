import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/test-database.ts";

describe("the committed migrations", () => {
  it("build exactly the schema the row mappings describe: no change is left without its migration", async () => {
    const { database, drop } = await openTestDatabase();
    try {
      const diff = await database.orm.getMigrator().checkMigrationNeeded();
      expect(diff).toBe(false);
    } finally {
      await drop();
    }
  });
});
