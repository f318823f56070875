import { Hono } from "hono";
import * as v from "valibot";
import type { CreateProduct } from "../../../application/sales/create-product.ts";
import type { ListProducts } from "../../../application/sales/list-products.ts";
import type { UpdateProduct } from "../../../application/sales/update-product.ts";
import { Product } from "../../../domain/product.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { readPage } from "../pagination.ts";
import { presentProduct } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { readBody, readParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

const name = v.pipe(
  v.string("is required, as text"),
  v.check((value) => value.trim() !== "", "must not be empty"),
  v.maxLength(120, "must be at most 120 characters"),
);
const PRICE_RANGE = `must be from 1 to ${Product.PRICE_MAX.toLocaleString("en-US")} shillings`;
const price = v.pipe(
  v.number("must be a whole number of shillings"),
  v.integer("must be whole shillings"),
  v.minValue(1, PRICE_RANGE),
  v.maxValue(Product.PRICE_MAX, PRICE_RANGE),
);
const STOCK_RANGE = `must be from 0 to ${Product.STOCK_MAX.toLocaleString("en-US")}`;
const stock = v.pipe(
  v.number("must be a whole number"),
  v.integer("must be a whole number"),
  v.minValue(0, STOCK_RANGE),
  v.maxValue(Product.STOCK_MAX, STOCK_RANGE),
);

export const ProductCreateBody = v.object({
  name,
  price,
  stock,
  sku: v.optional(
    v.nullable(
      v.pipe(
        v.string("must be text"),
        v.regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1 to 64 letters, digits, dots, dashes or underscores"),
      ),
    ),
  ),
});
export const ProductUpdateBody = v.object({
  name: v.optional(name),
  price: v.optional(price),
  stock: v.optional(stock),
});
const BusinessPath = v.object({ businessId: idParam });
const ProductPath = v.object({ businessId: idParam, productId: idParam });

/** `/api/businesses/:businessId/products`: what a business sells, with its sellable and reserved stock. */
export function productRoutes(deps: {
  readonly createProduct: CreateProduct;
  readonly listProducts: ListProducts;
  readonly updateProduct: UpdateProduct;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post("/api/businesses/:businessId/products", async (c) => {
      const path = readParams(c, BusinessPath, c.req.param());
      if (!path.ok) {
        return path.error;
      }
      const body = await readBody(c, ProductCreateBody);
      if (!body.ok) {
        return body.error;
      }
      const result = await deps.createProduct.execute({
        userId: c.var.user.id,
        ...path.value,
        ...body.value,
      });
      return result.ok
        ? c.json({ product: presentProduct(result.value) }, 201)
        : problemResponse(c, problemFor(result.error));
    })
    .get("/api/businesses/:businessId/products", async (c) => {
      const path = readParams(c, BusinessPath, c.req.param());
      if (!path.ok) {
        return path.error;
      }
      const page = readPage(c);
      if (!page.ok) {
        return page.error;
      }
      const result = await deps.listProducts.execute({
        userId: c.var.user.id,
        ...path.value,
        page: page.value,
      });
      return result.ok
        ? c.json({ products: result.value.items.map(presentProduct), nextCursor: result.value.nextCursor })
        : problemResponse(c, problemFor(result.error));
    })
    .patch("/api/businesses/:businessId/products/:productId", async (c) => {
      const path = readParams(c, ProductPath, c.req.param());
      if (!path.ok) {
        return path.error;
      }
      const body = await readBody(c, ProductUpdateBody);
      if (!body.ok) {
        return body.error;
      }
      const result = await deps.updateProduct.execute({
        userId: c.var.user.id,
        ...path.value,
        changes: body.value,
      });
      return result.ok
        ? c.json({ product: presentProduct(result.value) })
        : problemResponse(c, problemFor(result.error));
    });
}
