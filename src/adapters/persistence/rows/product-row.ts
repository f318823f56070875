import { EntitySchema } from "@mikro-orm/core";
import { Kes } from "../../../domain/kes.ts";
import { Product } from "../../../domain/product.ts";

export interface ProductRow {
  id: string;
  businessId: string;
  name: string;
  sku: string | null;
  price: number;
  stock: number;
  reserved: number;
  createdAt: Date;
  archivedAt: Date | null;
}

export const ProductSchema = new EntitySchema<ProductRow>({
  name: "ProductRow",
  tableName: "products",
  uniques: [{ name: "products_business_id_sku_unique", properties: ["businessId", "sku"] }],
  indexes: [{ name: "products_business_id_id_index", properties: ["businessId", "id"] }],
  checks: [
    { name: "products_stock_non_negative", expression: "stock >= 0" },
    { name: "products_reserved_non_negative", expression: "reserved >= 0" },
    { name: "products_price_positive", expression: "price >= 1" },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: {
      kind: "m:1",
      entity: "BusinessRow",
      mapToPk: true,
      fieldName: "business_id",
    },
    name: { type: "text" },
    sku: { type: "text", nullable: true },
    price: { type: "integer" },
    stock: { type: "integer" },
    reserved: { type: "integer" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    archivedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
  },
});

export const productToRow = (product: Product): ProductRow => {
  const s = product.snapshot();
  return { ...s, price: s.price.value };
};

export const productToDomain = (row: ProductRow): Product =>
  Product.restore({ ...row, price: Kes.restore(row.price) });
