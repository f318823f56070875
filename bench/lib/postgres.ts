import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL server the bench and drills use: DATABASE_URL, else the local one on 5432. */
export function adminUrl(): string {
  return process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** One statement on its own short-lived connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminQuery<T extends Record<string, unknown> = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export type ScratchDatabase = {
  readonly name: string;
  readonly url: string;
  /** Ends every connection to it and drops it. */
  drop(): Promise<void>;
};

/** A new, empty database on the server at `admin` (PayMe migrates it when it starts). */
export async function scratchDatabase(
  admin: string = adminUrl(),
  prefix = "payme_bench",
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  try {
    await adminQuery(admin, `create database "${name}"`);
  } catch (error) {
    throw new Error(
      `PostgreSQL is needed at ${new URL(admin).host} (set DATABASE_URL): ${(error as Error).message}`,
    );
  }
  return {
    name,
    url: withDatabase(admin, name),
    drop: async () => {
      await adminQuery(admin, `drop database if exists "${name}" with (force)`);
    },
  };
}
