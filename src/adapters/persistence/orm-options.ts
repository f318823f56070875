import { Migrator } from "@mikro-orm/migrations";
import { defineConfig, type Options, PostgreSqlDriver } from "@mikro-orm/postgresql";
import { migrationsList } from "./migrations/migrations-list.ts";
import { allSchemas } from "./rows/all-schemas.ts";

export const MIGRATIONS_PATH = "src/adapters/persistence/migrations";

/** The MikroORM options shared by the server, the tests and the CLI; the driver and connection are added by the caller. */
export function baseOrmOptions(): Options {
  return defineConfig({
    driver: PostgreSqlDriver,
    entities: allSchemas,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false, checkDuplicateEntities: true },
    // Every unit of work forks its own EntityManager; touching the global one is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      tableName: "mikro_orm_migrations",
      path: MIGRATIONS_PATH,
      pathTs: MIGRATIONS_PATH,
      emit: "ts",
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      migrationsList,
      fileName: (timestamp: string, name?: string) => `migration-${timestamp}${name ? `-${name}` : ""}`,
    },
  });
}
