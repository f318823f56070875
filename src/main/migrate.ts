import { Database } from "../adapters/persistence/database.ts";
import { describeConfigIssues, loadConfig } from "./config.ts";

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or to the embedded database without it). */
const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(describeConfigIssues(loaded.issues));
  process.exit(1);
}
const { database: target } = loaded.config;
const database = await Database.open(target);
try {
  const applied = await database.migrate();
  const where =
    target.kind === "postgres" ? new URL(target.url).pathname.slice(1) : (target.dataDir ?? "memory");
  console.info(applied.length > 0 ? `applied to ${where}: ${applied.join(", ")}` : `${where} is up to date`);
} finally {
  await database.close();
}
