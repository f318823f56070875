/** Where the test run's databases come from, as chosen by the global setup. */
export type TestDatabaseServer =
  | { readonly kind: "pglite" }
  | {
      readonly kind: "postgres";
      readonly adminUrl: string;
      readonly template: string;
      readonly runId: string;
    };

export { adminQuery, withDatabase } from "../../bench/lib/postgres.ts";
