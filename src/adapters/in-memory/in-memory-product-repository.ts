import type { Page, PageRequest } from "../../application/ports/page.ts";
import type {
  ProductFilter,
  ProductOf,
  ProductRepository,
  SkuTaken,
} from "../../application/ports/product-repository.ts";
import { Product } from "../../domain/product.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, pageOf, replaceRow } from "./table-helpers.ts";

export class InMemoryProductRepository implements ProductRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(product: Product): Promise<Result<void, SkuTaken>> {
    const row = product.snapshot();
    if (row.sku !== null) {
      for (const other of this.tables.products.values()) {
        if (other.businessId === row.businessId && other.sku === row.sku) {
          return err({ type: "sku_taken", sku: row.sku });
        }
      }
    }
    insertRow(this.tables.products, row, "products");
    return ok();
  }

  async update(product: Product): Promise<void> {
    replaceRow(this.tables.products, product.snapshot(), "Product");
  }

  async updateAll(products: readonly Product[]): Promise<void> {
    for (const product of products) {
      await this.update(product);
    }
  }

  async findInBusiness(id: string, businessId: string): Promise<Product | null> {
    const row = this.tables.products.get(id);
    return row === undefined || row.businessId !== businessId ? null : Product.restore(row);
  }

  async lockInBusiness(ids: readonly string[], businessId: string): Promise<Product[]> {
    return [...new Set(ids)].sort().flatMap((id) => {
      const row = this.tables.products.get(id);
      return row === undefined || row.businessId !== businessId ? [] : [Product.restore(row)];
    });
  }

  async lockAll(products: readonly ProductOf[]): Promise<Product[]> {
    const wanted = new Map(products.map((p) => [p.id, p.businessId]));
    return [...wanted.keys()].sort().flatMap((id) => {
      const row = this.tables.products.get(id);
      return row === undefined || row.businessId !== wanted.get(id) ? [] : [Product.restore(row)];
    });
  }

  async hasSku(businessId: string, sku: string): Promise<boolean> {
    return [...this.tables.products.values()].some((row) => row.businessId === businessId && row.sku === sku);
  }

  async listByBusiness(businessId: string, filter: ProductFilter, page: PageRequest): Promise<Page<Product>> {
    const q = filter.q?.toLowerCase();
    return pageOf(
      [...this.tables.products.values()].filter(
        (row) =>
          row.businessId === businessId &&
          (filter.includeArchived === true || row.archivedAt === null) &&
          (q === undefined ||
            row.name.toLowerCase().includes(q) ||
            (row.sku?.toLowerCase().includes(q) ?? false)),
      ),
      page,
      Product.restore,
    );
  }
}
