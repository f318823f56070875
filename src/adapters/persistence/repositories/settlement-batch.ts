import type { EntitySchema } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import { ProductSchema } from "../rows/product-row.ts";
import { type SaleRow, SaleSchema } from "../rows/sale-row.ts";
import {
  insertLocators,
  insertRows,
  type LocatedTable,
  type LocatorKey,
  lockLocatedRows,
  selectRows,
  updateRowsById,
} from "./row-sql.ts";

type Row = Record<string, unknown> & { readonly id: string };
type Schema = EntitySchema<never> & { readonly meta: { readonly className: string } };
type Located<T extends LocatedTable> = { readonly table: T; readonly paymentId: string };

/**
 * A copy of a row that its reader may change: its fields are flat values, dates and the odd JSON column (a sale's
 * items), so only those are copied deeply. (structuredClone of the whole row showed on the settlement's profile.)
 */
function copyOf(row: Row): Row {
  const copy: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    copy[key] =
      value instanceof Date
        ? new Date(value.getTime())
        : typeof value === "object" && value !== null
          ? structuredClone(value)
          : value;
  }
  return copy as Row;
}

const keyOf = (channel: string, key: string) => `${channel}\u0000${key}`;

/**
 * What the settlements of one group commit (see GroupCommitSettlements) read and write, on the transaction's
 * EntityManager. The payments are read and locked up front, all in one statement; each settlement's writes are
 * kept here, and the rows they change are what the next settlement of the group reads (two callbacks of one
 * payment in a group see each other, as they would one transaction after the other). `flush` then writes them
 * with one multi-row statement per table, before the commit. Anything else the repositories do goes to the
 * database at once, in the same transaction.
 */
export class SettlementBatch {
  /** What each locator key names: a payment read and locked here, or null for a key no payment has. */
  private readonly located = new Map<string, Located<LocatedTable> | null>();
  /** The newest version of every row read or written here, by id (UUIDs: unique across tables). */
  private readonly rows = new Map<string, Row>();
  private readonly updates = new Map<Schema, Map<string, Row>>();
  private readonly inserts = new Map<Schema, Row[]>();
  private readonly locators: (LocatorKey & { kind: string; paymentId: string })[] = [];
  private readonly done = new Set<string>();
  /** Ids that a locking read here found no row for. */
  private readonly absent = new Set<string>();

  constructor(private readonly em: SqlEntityManager) {}

  /**
   * Reads and locks, in one statement ordered by payment id, the payments `keys` name; then, in one statement
   * ordered by product id, the products of the items of the sales among them. A group takes every lock its
   * settlements will need on products up front and in the same global order as every other path that locks
   * several (sale initiation, expiry, lapsed holds): were each sale's products locked as its settlement ran,
   * two groups whose sales share products in opposite orders would each hold one and wait for the other, a
   * deadlock PostgreSQL breaks only after deadlock_timeout.
   */
  async lockPayments<T extends LocatedTable>(
    located: readonly T[],
    keys: readonly LocatorKey[],
  ): Promise<void> {
    const unique = [...new Map(keys.map((k) => [keyOf(k.channel, k.key), k])).values()];
    const products = new Set<string>();
    for (const found of await lockLocatedRows(this.em, located, unique)) {
      this.located.set(keyOf(found.key.channel, found.key.key), {
        table: found.table,
        paymentId: found.row.id,
      });
      this.rows.set(found.row.id, found.row);
      if (found.table.schema === SaleSchema) {
        const sale = found.row as unknown as SaleRow;
        for (const item of sale.items) {
          products.add(item.productId);
        }
      }
    }
    if (products.size > 0) {
      await this.lockRows(ProductSchema, [...products], () => true);
    }
    for (const key of unique) {
      if (!this.located.has(keyOf(key.channel, key.key))) {
        this.located.set(keyOf(key.channel, key.key), null);
      }
    }
  }

  /**
   * The payment a locked key names, as this group left it: undefined when the key was not locked up front (the
   * caller reads it from the database), null when no payment has it.
   */
  lockedPayment<T extends LocatedTable>(
    channel: string,
    key: string,
  ): { table: T; row: Row } | null | undefined {
    const found = this.located.get(keyOf(channel, key));
    if (found === undefined || found === null) {
      return found;
    }
    return { table: found.table as T, row: this.current(found.paymentId) as Row };
  }

  /** The row with this id as this group left it (a copy: the caller may change it), if read or written here. */
  current(id: string): Row | undefined {
    const row = this.rows.get(id);
    return row === undefined ? undefined : copyOf(row);
  }

  /** Keeps a row read and locked in this transaction, so that later reads here see what the group wrote. */
  remember(row: Row): void {
    if (!this.rows.has(row.id)) {
      this.rows.set(row.id, row);
    }
  }

  /** Records a payment's new key in the locator at the flush; later lookups here find it at once. */
  locate(table: LocatedTable, key: LocatorKey, paymentId: string): void {
    this.locators.push({ ...key, kind: table.kind, paymentId });
    this.located.set(keyOf(key.channel, key.key), { table, paymentId });
  }

  /** Writes the row by its id at the flush (the last version, when it is written twice). */
  update(schema: Schema, row: Row): void {
    this.rows.set(row.id, row);
    const pending = this.updates.get(schema) ?? new Map<string, Row>();
    pending.set(row.id, row);
    this.updates.set(schema, pending);
  }

  insert(schema: Schema, row: Row): void {
    const pending = this.inserts.get(schema) ?? [];
    pending.push(row);
    this.inserts.set(schema, pending);
  }

  /** True the first time a name is given: a write that a second call in the same transaction would not repeat. */
  firstTime(name: string): boolean {
    if (this.done.has(name)) {
      return false;
    }
    this.done.add(name);
    return true;
  }

  /**
   * The rows of `schema` with these ids that pass `where`, locked FOR UPDATE: those read here already as this
   * group left them, the others read by id (in id order, whatever `where` says) and kept.
   */
  async lockRows<R extends { id: string }>(
    schema: EntitySchema<R>,
    ids: readonly string[],
    where: (row: R) => boolean,
  ): Promise<R[]> {
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => !this.rows.has(id) && !this.absent.has(id));
    if (missing.length > 0) {
      const read = await selectRows(this.em, schema, { id: missing } as never, { lock: true });
      for (const row of read) {
        this.rows.set(row.id, row as unknown as Row);
      }
      for (const id of missing) {
        if (!this.rows.has(id)) {
          this.absent.add(id);
        }
      }
    }
    return unique
      .map((id) => this.current(id) as R | undefined)
      .filter((row): row is R => row !== undefined && where(row))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Writes what is kept for one table now (before a read of that table that must see it). */
  async flushTable(schema: Schema): Promise<void> {
    const pending = this.updates.get(schema);
    if (pending !== undefined && pending.size > 0) {
      this.updates.delete(schema);
      await updateRowsById(this.em, schema as EntitySchema<Row>, [...pending.values()]);
    }
  }

  /** Writes everything kept: the updates, then the locator keys, then the new rows, one statement per table. */
  async flush(): Promise<void> {
    for (const schema of [...this.updates.keys()]) {
      await this.flushTable(schema);
    }
    await insertLocators(this.em, this.locators.splice(0));
    for (const [schema, rows] of this.inserts) {
      await insertRows(this.em, schema as unknown as EntitySchema<Row>, rows);
    }
    this.inserts.clear();
  }
}
