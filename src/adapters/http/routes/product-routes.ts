import { Hono } from "hono";
import * as v from "valibot";
import type { CreateProduct } from "../../../application/sales/create-product.ts";
import type { ListProducts } from "../../../application/sales/list-products.ts";
import type { UpdateProduct } from "../../../application/sales/update-product.ts";
import { ProductName } from "../../../domain/product-name.ts";
import { Sku } from "../../../domain/sku.ts";
import { StockLevel } from "../../../domain/stock-level.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { ProductSchema, page } from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PageQuery } from "../pagination.ts";
import { presentProduct } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams } from "../request-body.ts";
import { idParam, priceAmount } from "../schemas.ts";

const name = domainValue((input) => ProductName.parse(input), {
  type: "string",
  minLength: 1,
  maxLength: ProductName.MAX,
});
const stock = domainValue((input) => StockLevel.parse(input), {
  type: "integer",
  minimum: 0,
  maximum: StockLevel.MAX,
  description: "What can be sold now.",
});

export const ProductCreateBody = v.object({
  name,
  price: priceAmount,
  stock,
  sku: v.optional(
    v.nullable(
      domainValue((input) => Sku.parse(input), {
        type: "string",
        pattern: "^[A-Za-z0-9._-]{1,64}$",
        description: "Unique within the business.",
      }),
    ),
  ),
});
export const ProductUpdateBody = v.object({
  name: v.optional(name),
  price: v.optional(priceAmount),
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
    .post(
      "/api/businesses/:businessId/products",
      routeDoc({
        tag: "Products",
        summary: "Add a product",
        permission: "products:write",
        readsJson: true,
        success: { status: 201, description: "Created.", schema: v.object({ product: ProductSchema }) },
        problems: [404, 409],
      }),
      pathParams(BusinessPath),
      jsonBody(ProductCreateBody),
      async (c) => {
        const result = await deps.createProduct.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          ...c.req.valid("json"),
        });
        return result.ok
          ? c.json({ product: presentProduct(result.value) }, 201)
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/businesses/:businessId/products",
      routeDoc({
        tag: "Products",
        summary: "List a business's products",
        permission: "products:read",
        query: PAGE_QUERY,
        success: { status: 200, description: "Newest first.", schema: page("products", ProductSchema) },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(PageQuery),
      async (c) => {
        const result = await deps.listProducts.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          page: c.req.valid("query"),
        });
        return result.ok
          ? c.json({ products: result.value.items.map(presentProduct), nextCursor: result.value.nextCursor })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .patch(
      "/api/businesses/:businessId/products/:productId",
      routeDoc({
        tag: "Products",
        summary: "Change a product's name, price or sellable stock",
        permission: "products:write",
        readsJson: true,
        success: { status: 200, description: "Updated.", schema: v.object({ product: ProductSchema }) },
        problems: [404],
      }),
      pathParams(ProductPath),
      jsonBody(ProductUpdateBody),
      async (c) => {
        const result = await deps.updateProduct.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          changes: c.req.valid("json"),
        });
        return result.ok
          ? c.json({ product: presentProduct(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    );
}
