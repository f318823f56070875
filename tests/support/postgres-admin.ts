import pg from "pg";

/** Where the test run's databases come from, as chosen by the global setup. */
export type TestDatabaseServer =
  | { readonly kind: "pglite" }
  | {
      readonly kind: "postgres";
      readonly adminUrl: string;
      readonly template: string;
      readonly runId: string;
    };

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** One statement on its own short-lived connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminQuery(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<Array<Record<string, string>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    return result.rows;
  } finally {
    await client.end();
  }
}
