import type { SaleReference } from "../../domain/sale-reference.ts";

/** Fresh sale references. Random: two may coincide, and the sale store's uniqueness per business decides. */
export interface ReferenceGenerator {
  next(): SaleReference;
}
