import type { EntitySchema } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import { RecordNotFound } from "../../../application/ports/repository-errors.ts";
import { writing } from "./mikro-orm-support.ts";

/**
 * Hand-written SQL for the rows on the payment hot paths (a callback's settlement, a push's initiation), run
 * through MikroORM's connection in the EntityManager's transaction. The bench's profile showed the query builder
 * costing more than the database on these paths; the statements here are the ones it would build, without
 * building them. Tables and columns come from the entity schemas' metadata, so they cannot drift from it.
 */

type Column = {
  readonly property: string;
  readonly field: string;
  readonly json: boolean;
  readonly date: boolean;
};
type Table = {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly byProperty: Map<string, Column>;
};

const tables = new Map<string, Table>();

function tableOf(em: SqlEntityManager, schema: { readonly meta: { readonly className: string } }): Table {
  const className = schema.meta.className;
  const known = tables.get(className);
  if (known !== undefined) {
    return known;
  }
  const meta = em.getMetadata().find(className);
  if (meta === undefined) {
    throw new Error(`${className} is not a known entity`);
  }
  const columns = meta.props
    .filter((prop) => prop.fieldNames?.length === 1)
    .map((prop) => ({
      property: prop.name,
      field: prop.fieldNames[0] as string,
      json: prop.type === "json" || prop.columnTypes?.[0] === "jsonb",
      date: prop.runtimeType === "Date",
    }));
  const table = { name: meta.tableName, columns, byProperty: new Map(columns.map((c) => [c.property, c])) };
  tables.set(className, table);
  return table;
}

const quoted = (name: string) => `"${name}"`;

function column(table: Table, property: string): Column {
  const found = table.byProperty.get(property);
  if (found === undefined) {
    throw new Error(`${table.name} has no column for ${property}`);
  }
  return found;
}

/** A value as the driver should send it: JSON columns as JSON text (pg would send an array as a SQL array). */
const toParameter = (col: Column, value: unknown) =>
  col.json && value !== null && value !== undefined ? JSON.stringify(value) : value;

function fromRecord<R>(table: Table, record: Record<string, unknown>): R {
  const row: Record<string, unknown> = {};
  for (const col of table.columns) {
    const value = record[col.field];
    // MikroORM's connection leaves timestamps as text; the ORM would have made them Dates.
    row[col.property] =
      col.date && value !== null && !(value instanceof Date) ? new Date(value as string) : value;
  }
  return row as R;
}

/**
 * The rows matching every condition of `where` (a list of values matches any of them), in id order, locked
 * FOR UPDATE when asked (or FOR KEY SHARE, with `lock: "key share"`): rows locked in one order cannot deadlock
 * against each other.
 */
export async function selectRows<R extends object>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  where: { readonly [K in keyof R & string]?: R[K] | readonly R[K][] },
  options?: { lock?: boolean | "key share"; limit?: number },
): Promise<R[]> {
  const table = tableOf(em, schema);
  const conditions: string[] = [];
  const values: unknown[] = [];
  for (const [property, value] of Object.entries(where)) {
    const field = quoted(column(table, property).field);
    if (Array.isArray(value)) {
      conditions.push(value.length === 0 ? "false" : `${field} in (${value.map(() => "?").join(", ")})`);
      values.push(...value);
    } else {
      conditions.push(`${field} = ?`);
      values.push(value);
    }
  }
  const sql = `select * from ${quoted(table.name)} where ${conditions.join(" and ") || "true"} order by ${quoted(
    column(table, "id").field,
  )}${options?.limit === undefined ? "" : ` limit ${Math.trunc(options.limit)}`}${options?.lock === true ? " for update" : options?.lock === "key share" ? " for key share" : ""}`;
  const records = await em.execute<Record<string, unknown>[]>(sql, values);
  return records.map((record) => fromRecord<R>(table, record));
}

/** The one row matching `where`, locked FOR UPDATE (or FOR KEY SHARE) when asked. */
export async function selectRow<R extends object>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  where: { readonly [K in keyof R & string]?: R[K] },
  options?: { lock?: boolean | "key share" },
): Promise<R | null> {
  const [row] = await selectRows(em, schema, where, { ...options, limit: 1 });
  return row ?? null;
}

/** Inserts a row; a unique-constraint violation becomes the port's UniqueViolation. */
export async function insertRow<R extends object>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  row: R,
): Promise<void> {
  const table = tableOf(em, schema);
  const values = row as Record<string, unknown>;
  const columns = table.columns.filter((col) => values[col.property] !== undefined);
  const sql = `insert into ${quoted(table.name)} (${columns.map((col) => quoted(col.field)).join(", ")}) values (${columns
    .map(() => "?")
    .join(", ")})`;
  await writing(() =>
    em.execute(
      sql,
      columns.map((col) => toParameter(col, values[col.property])),
      "run",
    ),
  );
}

/**
 * Inserts a row unless one with the same values of `conflict` (properties that a unique constraint covers) is
 * there already: true when inserted. A concurrent insert of the same key waits for the first to commit and then
 * inserts nothing. Any other unique violation is the port's UniqueViolation.
 */
export async function insertRowIfAbsent<R extends object>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  row: R,
  conflict: readonly (keyof R & string)[],
): Promise<boolean> {
  const table = tableOf(em, schema);
  const values = row as Record<string, unknown>;
  const columns = table.columns.filter((col) => values[col.property] !== undefined);
  const sql = `insert into ${quoted(table.name)} (${columns.map((col) => quoted(col.field)).join(", ")}) values (${columns
    .map(() => "?")
    .join(
      ", ",
    )}) on conflict (${conflict.map((property) => quoted(column(table, property).field)).join(", ")}) do nothing`;
  const result = await writing(() =>
    em.execute<{ affectedRows: number }>(
      sql,
      columns.map((col) => toParameter(col, values[col.property])),
      "run",
    ),
  );
  return result.affectedRows > 0;
}

/** Writes every column of a row by its id; no row with that id is a bug, not an outcome. */
export async function updateById<R extends { id: string }>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  row: R,
): Promise<void> {
  const table = tableOf(em, schema);
  const values = row as Record<string, unknown>;
  const columns = table.columns.filter((col) => col.property !== "id" && values[col.property] !== undefined);
  const sql = `update ${quoted(table.name)} set ${columns.map((col) => `${quoted(col.field)} = ?`).join(", ")} where ${quoted(
    column(table, "id").field,
  )} = ?`;
  const result = await writing(() =>
    em.execute<{ affectedRows: number }>(
      sql,
      [...columns.map((col) => toParameter(col, values[col.property])), row.id],
      "run",
    ),
  );
  if (result.affectedRows === 0) {
    throw new RecordNotFound(schema.meta.className, row.id);
  }
}

/** A key that names a payment in `payment_locators`. */
export type LocatorKey = { readonly channel: string; readonly key: string };

const LOCATORS = `"payment_locators" ("channel", "key", "kind", "payment_id")`;

/**
 * Inserts a payment's row and its locator rows in one statement (the row, then the locators that point at it):
 * the payment's insert stays one round trip.
 */
export async function insertLocatedRow<R extends { id: string }>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  row: R,
  kind: string,
  keys: readonly LocatorKey[],
): Promise<void> {
  if (keys.length === 0) {
    return insertRow(em, schema, row);
  }
  const table = tableOf(em, schema);
  const values = row as Record<string, unknown>;
  const columns = table.columns.filter((col) => values[col.property] !== undefined);
  const sql = `with "added" as (insert into ${quoted(table.name)} (${columns.map((col) => quoted(col.field)).join(", ")}) values (${columns
    .map(() => "?")
    .join(
      ", ",
    )}) returning ${quoted(column(table, "id").field)} as "id") insert into ${LOCATORS} select "keys"."channel", "keys"."key", ?::text, "added"."id" from "added" cross join (values ${keys
    .map(() => "(?::text, ?::text)")
    .join(", ")}) as "keys" ("channel", "key")`;
  await writing(() =>
    em.execute(
      sql,
      [
        ...columns.map((col) => toParameter(col, values[col.property])),
        kind,
        ...keys.flatMap((key) => [key.channel, key.key]),
      ],
      "run",
    ),
  );
}

/**
 * Writes every column of a payment's row by its id and, in the same statement, makes sure `key` names it in the
 * locator (a key already there is left as it is): recording a CheckoutRequestID costs no extra round trip.
 */
export async function updateLocatedById<R extends { id: string }>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  row: R,
  kind: string,
  key: LocatorKey | null,
): Promise<void> {
  if (key === null) {
    return updateById(em, schema, row);
  }
  const table = tableOf(em, schema);
  const values = row as Record<string, unknown>;
  const columns = table.columns.filter((col) => col.property !== "id" && values[col.property] !== undefined);
  const id = quoted(column(table, "id").field);
  const sql = `with "moved" as (update ${quoted(table.name)} set ${columns.map((col) => `${quoted(col.field)} = ?`).join(", ")} where ${id} = ? returning ${id} as "id"), "located" as (insert into ${LOCATORS} select ?::text, ?::text, ?::text, "moved"."id" from "moved" on conflict do nothing) select count(*)::int as "moved" from "moved"`;
  const records = await writing(() =>
    em.execute<({ moved: number } | { moved: number }[])[]>(
      sql,
      [...columns.map((col) => toParameter(col, values[col.property])), row.id, key.channel, key.key, kind],
      "all",
    ),
  );
  // PGlite's driver may hand back the rows of a data-modifying WITH as one nested result set.
  const [result] = records.flat();
  if (Number(result?.moved ?? 0) === 0) {
    throw new RecordNotFound(schema.meta.className, row.id);
  }
}

/**
 * Writes the columns of `set` on the row with `id`, only while its `expected` columns still hold those values (null
 * meaning `is null`), and in the same statement makes sure `key` names the row in the locator: one statement that
 * is right on its own outside a transaction (it waits for a transaction holding the row, then looks again at the
 * row as that one left it). The row as written; null, with nothing written, when it had changed.
 */
export async function updateLocatedIfUnchanged<R extends { id: string }>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  change: {
    readonly id: string;
    readonly set: Partial<R>;
    readonly expected: Partial<R>;
    readonly kind: string;
    readonly key: LocatorKey;
  },
): Promise<R | null> {
  const table = tableOf(em, schema);
  const set = change.set as Record<string, unknown>;
  const expected = change.expected as Record<string, unknown>;
  const written = Object.keys(set).map((property) => column(table, property));
  const guards = Object.keys(expected).map((property) => column(table, property));
  const id = quoted(column(table, "id").field);
  const sql = `with "moved" as (update ${quoted(table.name)} set ${written
    .map((col) => `${quoted(col.field)} = ?`)
    .join(", ")} where ${[
    `${id} = ?`,
    ...guards.map((col) => `${quoted(col.field)} ${expected[col.property] === null ? "is null" : "= ?"}`),
  ].join(
    " and ",
  )} returning *), "located" as (insert into ${LOCATORS} select ?::text, ?::text, ?::text, "moved".${id} from "moved" on conflict do nothing) select * from "moved"`;
  const records = await writing(() =>
    em.execute<(Record<string, unknown> | Record<string, unknown>[])[]>(
      sql,
      [
        ...written.map((col) => toParameter(col, set[col.property])),
        change.id,
        ...guards.filter((col) => expected[col.property] !== null).map((col) => expected[col.property]),
        change.key.channel,
        change.key.key,
        change.kind,
      ],
      "all",
    ),
  );
  // PGlite's driver may hand back the rows of a data-modifying WITH as one nested result set.
  const [record] = records.flat();
  return record === undefined ? null : fromRecord<R>(table, record);
}

/** A table of payments that `payment_locators` names by `kind`. */
export type LocatedTable = {
  readonly kind: string;
  readonly schema: { readonly meta: { readonly className: string } };
};

const locatedSql = new Map<string, string>();

/**
 * The payment `key` names on `channel`, whichever of `located` holds it, read with its locator row in one
 * statement: the locator row, and beside it one sub-select per table that reads (and locks FOR UPDATE, when
 * asked) the row with the payment's id, run only for the table whose kind the locator row names. The row comes
 * back as JSON. (On the bench, this costs the database about what the table's own indexed read did, where a
 * CTE per table cost it half as much again.)
 */
export async function selectLocatedRow<T extends LocatedTable>(
  em: SqlEntityManager,
  located: readonly T[],
  channel: string,
  key: string,
  options: { readonly lock: boolean },
): Promise<{ readonly table: T; readonly row: object } | null> {
  const shapes = located.map((t) => tableOf(em, t.schema));
  const signature = `${options.lock}:${located.map((t) => `${t.kind}=${t.schema.meta.className}`).join(",")}`;
  let sql = locatedSql.get(signature);
  if (sql === undefined) {
    const reads = shapes.map(
      (shape) =>
        `(select to_jsonb("p") from ${quoted(shape.name)} as "p" where "locator"."kind" = ? and "p".${quoted(
          column(shape, "id").field,
        )} = "locator"."payment_id"${options.lock ? " for update" : ""})`,
    );
    sql = `select "locator"."kind", ${reads.length === 0 ? "null" : `coalesce(${reads.join(", ")})`} as "row" from "payment_locators" as "locator" where "locator"."channel" = ? and "locator"."key" = ?`;
    locatedSql.set(signature, sql);
  }
  const [record] = await em.execute<{ kind: string; row: Record<string, unknown> | null }[]>(sql, [
    ...located.map((t) => t.kind),
    channel,
    key,
  ]);
  const index = record?.row == null ? -1 : located.findIndex((t) => t.kind === record.kind);
  if (record?.row == null || index === -1) {
    return null;
  }
  // A JSON row has the same fields as the table's own (dates as text, JSON columns already parsed).
  return { table: located[index] as T, row: fromRecord<object>(shapes[index] as Table, record.row) };
}

/** One table's row that `selectFirstRow` may take: the property and value that name it. */
export type RowCandidate = {
  readonly schema: { readonly meta: { readonly className: string } };
  readonly property: string;
  readonly value: unknown;
};

const firstRowSql = new Map<string, string>();

/**
 * The row of the first of `candidates` whose table has one with its value, and which candidate it is, in one
 * statement: one sub-select per table, locked FOR UPDATE when asked, tried in order until one finds a row (SQL's
 * coalesce evaluates no argument after the first that is not null, so a table after the one that has the row is
 * never read). For a key that one of several tables holds, found in one round trip.
 */
export async function selectFirstRow(
  em: SqlEntityManager,
  candidates: readonly RowCandidate[],
  options: { readonly lock: boolean },
): Promise<{ readonly index: number; readonly row: object } | null> {
  const shapes = candidates.map((candidate) => tableOf(em, candidate.schema));
  const signature = `${options.lock}:${candidates.map((c) => `${c.schema.meta.className}.${c.property}`).join(",")}`;
  let sql = firstRowSql.get(signature);
  if (sql === undefined) {
    const reads = candidates.map(
      (candidate, index) =>
        `(select jsonb_build_array(${index}, to_jsonb("r")) from ${quoted((shapes[index] as Table).name)} as "r" where "r".${quoted(
          column(shapes[index] as Table, candidate.property).field,
        )} = ? limit 1${options.lock ? " for update" : ""})`,
    );
    sql = `select ${reads.length === 0 ? "null" : `coalesce(${reads.join(", ")})`} as "found"`;
    firstRowSql.set(signature, sql);
  }
  const [record] = await em.execute<{ found: [number, Record<string, unknown>] | null }[]>(
    sql,
    candidates.map((candidate) => candidate.value),
  );
  const found = record?.found ?? null;
  if (found === null) {
    return null;
  }
  const [index, row] = found;
  return { index, row: fromRecord<object>(shapes[index] as Table, row) };
}

/** The column set of a row as `updateById`/`insertRow` write it: the properties it defines. */
const definedColumns = (table: Table, row: Record<string, unknown>, withId: boolean) =>
  table.columns.filter((col) => (withId || col.property !== "id") && row[col.property] !== undefined);

/** Rows as one JSON array in the table's own field names, for jsonb_populate_recordset. */
function rowsAsJson(columns: readonly Column[], rows: readonly Record<string, unknown>[]): string {
  // Built with plain loops: this runs for every row a group writes (an entry array per column showed on the
  // settlement's profile).
  const records = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    const record: Record<string, unknown> = {};
    for (const col of columns) {
      record[col.field] = row[col.property] ?? null;
    }
    records[i] = record;
  }
  return JSON.stringify(records);
}

/** Rows grouped by the columns they define (rows of one table nearly always define the same ones). */
function byColumns(table: Table, rows: readonly Record<string, unknown>[], withId: boolean) {
  const groups = new Map<string, { columns: Column[]; rows: Record<string, unknown>[] }>();
  for (const row of rows) {
    const columns = definedColumns(table, row, withId);
    const signature = columns.map((col) => col.field).join(",");
    const group = groups.get(signature);
    if (group === undefined) {
      groups.set(signature, { columns, rows: [row] });
    } else {
      group.rows.push(row);
    }
  }
  return [...groups.values()];
}

/** How many rows a write changed: PGlite's driver may hand back its result inside an array. */
const affectedRows = (result: { affectedRows: number } | readonly { affectedRows: number }[]): number =>
  Array.isArray(result)
    ? result.reduce((sum: number, part: { affectedRows: number }) => sum + Number(part.affectedRows ?? 0), 0)
    : Number((result as { affectedRows: number }).affectedRows ?? 0);

/**
 * Inserts rows in one statement: the rows travel as one JSON array that jsonb_populate_recordset turns into rows
 * of the table's own type, so every value keeps its column's type without a cast written here.
 */
export async function insertRows<R extends object>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  rows: readonly R[],
): Promise<void> {
  const table = tableOf(em, schema);
  for (const group of byColumns(table, rows as readonly Record<string, unknown>[], true)) {
    const fields = group.columns.map((col) => quoted(col.field)).join(", ");
    await writing(() =>
      em.execute(
        `insert into ${quoted(table.name)} (${fields}) select ${fields} from jsonb_populate_recordset(null::${quoted(table.name)}, ?::jsonb)`,
        [rowsAsJson(group.columns, group.rows)],
        "run",
      ),
    );
  }
}

/** Writes every column of each row by its id, in one statement; a missing row is a bug, as in `updateById`. */
export async function updateRowsById<R extends { id: string }>(
  em: SqlEntityManager,
  schema: EntitySchema<R>,
  rows: readonly R[],
): Promise<void> {
  const table = tableOf(em, schema);
  const id = quoted(column(table, "id").field);
  for (const group of byColumns(table, rows as readonly Record<string, unknown>[], false)) {
    const sets = group.columns.map((col) => `${quoted(col.field)} = "v".${quoted(col.field)}`).join(", ");
    const result = await writing(() =>
      em.execute<{ affectedRows: number } | { affectedRows: number }[]>(
        `update ${quoted(table.name)} as "t" set ${sets} from jsonb_populate_recordset(null::${quoted(table.name)}, ?::jsonb) as "v" where "t".${id} = "v".${id}`,
        [rowsAsJson([column(table, "id"), ...group.columns], group.rows)],
        "run",
      ),
    );
    if (affectedRows(result) !== group.rows.length) {
      throw new RecordNotFound(schema.meta.className, "(one of a batch)");
    }
  }
}

/** Adds locator rows in one statement; a key already there is left as it is. */
export async function insertLocators(
  em: SqlEntityManager,
  locators: readonly (LocatorKey & { readonly kind: string; readonly paymentId: string })[],
): Promise<void> {
  if (locators.length === 0) {
    return;
  }
  await writing(() =>
    em.execute(
      `insert into ${LOCATORS} values ${locators.map(() => "(?, ?, ?, ?)").join(", ")} on conflict do nothing`,
      locators.flatMap((l) => [l.channel, l.key, l.kind, l.paymentId]),
      "run",
    ),
  );
}

/**
 * The payments that `keys` name, whichever of `located` holds them, read and locked FOR UPDATE in one statement,
 * in the order of their ids (so that two transactions locking overlapping sets cannot deadlock). A key no payment
 * has is absent from the answer.
 */
export async function lockLocatedRows<T extends LocatedTable>(
  em: SqlEntityManager,
  located: readonly T[],
  keys: readonly LocatorKey[],
): Promise<
  { readonly key: LocatorKey; readonly table: T; readonly row: Record<string, unknown> & { id: string } }[]
> {
  if (keys.length === 0) {
    return [];
  }
  const shapes = located.map((t) => tableOf(em, t.schema));
  const reads = shapes.map(
    (shape) =>
      `(select to_jsonb("p") from ${quoted(shape.name)} as "p" where "locator"."kind" = ? and "p".${quoted(
        column(shape, "id").field,
      )} = "locator"."payment_id" for update)`,
  );
  // The ordered sub-select is not flattened into the outer query: its rows, and so the locks the reads in the
  // select list take, come in payment id order.
  const sql = `select "locator"."channel", "locator"."key", "locator"."kind", ${reads.length === 0 ? "null" : `coalesce(${reads.join(", ")})`} as "row" from (select * from "payment_locators" where ("channel", "key") in (${keys
    .map(() => "(?, ?)")
    .join(", ")}) order by "payment_id") as "locator"`;
  const records = await em.execute<
    { channel: string; key: string; kind: string; row: Record<string, unknown> | null }[]
  >(sql, [...located.map((t) => t.kind), ...keys.flatMap((k) => [k.channel, k.key])]);
  const found = [];
  for (const record of records) {
    const index = record.row == null ? -1 : located.findIndex((t) => t.kind === record.kind);
    if (record.row != null && index !== -1) {
      found.push({
        key: { channel: record.channel, key: record.key },
        table: located[index] as T,
        row: fromRecord<Record<string, unknown> & { id: string }>(shapes[index] as Table, record.row),
      });
    }
  }
  return found;
}
