/**
 * Configuration for the MikroORM CLI (run by `npm run migration:new`), on PostgreSQL at DATABASE_URL.
 * The server and the tests build their own configuration from the same base (src/adapters/persistence).
 */
import { defineConfig } from "@mikro-orm/postgresql";
import { baseOrmOptions } from "./src/adapters/persistence/orm-options.ts";

const clientUrl = process.env.DATABASE_URL;
if (clientUrl === undefined || clientUrl === "") {
  throw new Error("DATABASE_URL must point at a PostgreSQL database for the MikroORM CLI");
}

export default defineConfig({ ...baseOrmOptions(), clientUrl });
