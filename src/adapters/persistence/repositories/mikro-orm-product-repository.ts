import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import type {
  ProductFilter,
  ProductOf,
  ProductRepository,
  SkuTaken,
} from "../../../application/ports/product-repository.ts";
import type { Product } from "../../../domain/product.ts";
import { err, ok, type Result } from "../../../domain/result.ts";
import { ProductSchema, productToDomain, productToRow } from "../rows/product-row.ts";
import { containing, PAGE_ORDER, pageWhere, READ, toPage, writing } from "./mikro-orm-support.ts";
import { selectRows, updateById, updateRowsById } from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmProductRepository implements ProductRepository {
  constructor(
    private readonly em: SqlEntityManager,
    /** A group commit's batch: the products its sales lock and change, written in one statement at its end. */
    private readonly batch?: SettlementBatch,
  ) {}

  async add(product: Product): Promise<Result<void, SkuTaken>> {
    const row = productToRow(product);
    const inserted = await writing(() =>
      this.em
        .createQueryBuilder(ProductSchema)
        .insert(row)
        .onConflict(["businessId", "sku"])
        .ignore()
        .execute("run"),
    );
    return inserted.affectedRows === 1 || row.sku === null ? ok() : err({ type: "sku_taken", sku: row.sku });
  }

  async update(product: Product): Promise<void> {
    if (this.batch !== undefined) {
      this.batch.update(ProductSchema as never, productToRow(product) as never);
      return;
    }
    await updateById(this.em, ProductSchema, productToRow(product));
  }

  async updateAll(products: readonly Product[]): Promise<void> {
    const [only, ...others] = products;
    if (this.batch !== undefined || only === undefined || others.length === 0) {
      for (const product of products) {
        await this.update(product);
      }
      return;
    }
    await updateRowsById(this.em, ProductSchema, products.map(productToRow));
  }

  async hasSku(businessId: string, sku: string): Promise<boolean> {
    const rows = await selectRows(this.em, ProductSchema, { businessId, sku }, { limit: 1 });
    return rows.length > 0;
  }

  async findInBusiness(id: string, businessId: string): Promise<Product | null> {
    const row = await this.em.findOne(ProductSchema, { id, businessId }, READ);
    return row === null ? null : productToDomain(row);
  }

  async lockInBusiness(ids: readonly string[], businessId: string): Promise<Product[]> {
    if (ids.length === 0) {
      return [];
    }
    if (this.batch !== undefined) {
      const locked = await this.batch.lockRows(ProductSchema, ids, (row) => row.businessId === businessId);
      return locked.map(productToDomain);
    }
    const rows = await selectRows(
      this.em,
      ProductSchema,
      { id: [...new Set(ids)], businessId },
      { lock: true },
    );
    return rows.map(productToDomain);
  }

  async lockAll(products: readonly ProductOf[]): Promise<Product[]> {
    if (products.length === 0) {
      return [];
    }
    const wanted = new Map(products.map((p) => [p.id, p.businessId]));
    const ids = [...wanted.keys()];
    const owned = (row: { id: string; businessId: string }) => wanted.get(row.id) === row.businessId;
    const businessId = [...new Set(wanted.values())];
    if (this.batch !== undefined) {
      return (await this.batch.lockRows(ProductSchema, ids, owned)).map(productToDomain);
    }
    // One statement, in id order (selectRows orders by id before it locks), whatever the businesses.
    const rows = await selectRows(this.em, ProductSchema, { id: ids, businessId }, { lock: true });
    return rows.filter(owned).map(productToDomain);
  }

  async listByBusiness(businessId: string, filter: ProductFilter, page: PageRequest): Promise<Page<Product>> {
    const rows = await this.em.find(
      ProductSchema,
      {
        businessId,
        ...(filter.includeArchived === true ? {} : { archivedAt: null }),
        ...(filter.q === undefined
          ? {}
          : { $or: [{ name: { $ilike: containing(filter.q) } }, { sku: { $ilike: containing(filter.q) } }] }),
        ...pageWhere(page),
      },
      { ...READ, ...PAGE_ORDER, limit: page.limit + 1 },
    );
    return toPage(rows, page, productToDomain);
  }
}
