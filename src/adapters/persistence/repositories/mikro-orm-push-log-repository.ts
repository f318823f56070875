import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  PushFilter,
  PushLogRepository,
  PushRecord,
  PushWindowQuery,
} from "../../../application/ports/push-log-repository.ts";
import { type PushLogRow, PushLogSchema, pushToRow } from "../rows/push-log-row.ts";
import { writing } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";

const COLUMNS: { readonly [K in keyof PushFilter]-?: string } = {
  kind: "kind",
  userId: "user_id",
  businessId: "business_id",
  phone: "phone",
};

/** The push log in `stk_push_log`; its locks are PostgreSQL advisory locks scoped to the transaction. */
export class MikroOrmPushLogRepository implements PushLogRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async lock(keys: readonly string[]): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) {
      return;
    }
    // One round trip for all of them, taken in the keys' order (the ordered sub-select is not flattened, so the
    // locks are taken row by row in that order): two pushes sharing keys cannot deadlock. A 64-bit hash of each
    // key: two keys that collide only wait for each other, which is safe.
    await this.em.execute(
      `select pg_advisory_xact_lock(hashtextextended("key", 0)) from (select "key" from (values ${sorted
        .map(() => "(?::text)")
        .join(", ")}) as "keys" ("key") order by "key") as "ordered"`,
      sorted,
    );
  }

  async nthNewest(queries: readonly PushWindowQuery[]): Promise<(Date | null)[]> {
    if (queries.length === 0) {
      return [];
    }
    const { sql, values } = nthNewestSql(queries);
    const [row] = await this.em.execute<Record<string, string | Date | null>[]>(sql, values);
    return answers(queries, row);
  }

  async addUnlessFull(
    push: PushRecord,
    queries: readonly PushWindowQuery[],
  ): Promise<{ nth: (Date | null)[]; added: boolean }> {
    if (queries.length === 0) {
      await this.add(push);
      return { nth: [], added: true };
    }
    const nth = nthNewestSql(queries);
    const row = pushToRow(push) as unknown as Record<string, unknown>;
    const columns = Object.entries(COLUMNS_OF_ROW);
    // The row is inserted from the counts' own row, so only when none of them found its window full.
    const sql = `with "nth" as (${nth.sql}), "added" as (insert into "stk_push_log" (${columns
      .map(([, column]) => `"${column}"`)
      .join(", ")}) select ${columns.map(() => "?").join(", ")} from "nth" where ${queries
      .map((_, index) => `"q${index}" is null`)
      .join(" and ")} returning 1) select "nth".*, (select count(*) from "added")::int as "added" from "nth"`;
    const records = await writing(() =>
      this.em.execute<
        (Record<string, string | Date | number | null> | Record<string, string | Date | number | null>[])[]
      >(sql, [...nth.values, ...columns.map(([property]) => row[property] ?? null)]),
    );
    // PGlite's driver may hand back the rows of a data-modifying WITH as one nested result set.
    const [result] = records.flat();
    return { nth: answers(queries, result), added: Number(result?.added ?? 0) > 0 };
  }

  async add(push: PushRecord): Promise<void> {
    await insertRow(this.em, PushLogSchema, pushToRow(push));
  }

  async purgeBefore(before: Date): Promise<number> {
    const result = await this.em.execute<{ affectedRows: number }>(
      'delete from "stk_push_log" where "created_at" < ?',
      [before],
      "run",
    );
    return result.affectedRows;
  }
}

/** The push log's columns, by the row's properties. */
const COLUMNS_OF_ROW: { readonly [K in keyof PushLogRow]-?: string } = {
  id: "id",
  kind: "kind",
  userId: "user_id",
  businessId: "business_id",
  phone: "phone",
  createdAt: "created_at",
};

/** One row whose column `q<i>` answers the i-th query. */
function nthNewestSql(queries: readonly PushWindowQuery[]): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const columns = queries.map((query, index) => {
    const conditions = ['"created_at" > ?'];
    values.push(query.since);
    for (const [property, column] of Object.entries(COLUMNS) as [keyof PushFilter, string][]) {
      const value = query.filter[property];
      if (value === undefined) {
        continue;
      }
      if (value === null) {
        conditions.push(`"${column}" is null`);
      } else {
        conditions.push(`"${column}" = ?`);
        values.push(value);
      }
    }
    values.push(Math.max(0, Math.trunc(query.nth) - 1));
    return `(select "created_at" from "stk_push_log" where ${conditions.join(" and ")} order by "created_at" desc offset ? limit 1) as "q${index}"`;
  });
  return { sql: `select ${columns.join(", ")}`, values };
}

/** The answers of `nthNewestSql`'s row, in the queries' order. */
function answers(
  queries: readonly PushWindowQuery[],
  row: Record<string, string | Date | number | null> | undefined,
): (Date | null)[] {
  return queries.map((_, index) => {
    const value = row?.[`q${index}`] ?? null;
    return value === null ? null : new Date(value);
  });
}
