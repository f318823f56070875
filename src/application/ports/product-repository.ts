import type { Product } from "../../domain/product.ts";
import type { Result } from "../../domain/result.ts";
import type { Page, PageRequest } from "./page.ts";

export type SkuTaken = { readonly type: "sku_taken"; readonly sku: string };

/**
 * Which of a business's products a list shows: archived ones only when asked, and with `q`, those whose name or
 * SKU contains it (case-insensitive).
 */
export type ProductFilter = { readonly includeArchived?: boolean; readonly q?: string };

/** A product named with the business it must belong to. */
export type ProductOf = { readonly id: string; readonly businessId: string };

/** Products of businesses. A SKU is unique within its business. */
export interface ProductRepository {
  /** `sku_taken` when the business already has a product with this SKU, without failing the transaction. */
  add(product: Product): Promise<Result<void, SkuTaken>>;
  /** Saves name, price, stock and reserved. */
  update(product: Product): Promise<void>;
  /** Saves each of `products` as `update` does, in one statement where the store can (a sale's reservations). */
  updateAll(products: readonly Product[]): Promise<void>;
  findInBusiness(id: string, businessId: string): Promise<Product | null>;
  /**
   * Locks the products of `ids` that belong to `businessId` until the transaction ends, in a fixed order
   * (so two sales locking the same products cannot deadlock). Missing or foreign ids are left out.
   */
  lockInBusiness(ids: readonly string[], businessId: string): Promise<Product[]>;
  /**
   * Locks, in one go and in the same global order (product id), the products named with their businesses, across
   * businesses: a transaction that changes the stock of several sales locks all their products with this first,
   * so that it never holds one product while waiting for another. Missing or foreign ids are left out.
   */
  lockAll(products: readonly ProductOf[]): Promise<Product[]>;
  listByBusiness(businessId: string, filter: ProductFilter, page: PageRequest): Promise<Page<Product>>;
  /** Whether the business has a product with this SKU (exactly as written). */
  hasSku(businessId: string, sku: string): Promise<boolean>;
}
