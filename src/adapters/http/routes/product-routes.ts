import { Hono } from "hono";
import * as v from "valibot";
import type { ArchiveProduct } from "../../../application/sales/archive-product.ts";
import type { CreateProduct } from "../../../application/sales/create-product.ts";
import type { ListProducts } from "../../../application/sales/list-products.ts";
import type { RestockProduct } from "../../../application/sales/restock-product.ts";
import type { UpdateProduct } from "../../../application/sales/update-product.ts";
import { ProductName } from "../../../domain/product-name.ts";
import { Sku } from "../../../domain/sku.ts";
import { StockLevel } from "../../../domain/stock-level.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { ProductSchema, page } from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PAGE_ENTRIES, pageOf } from "../pagination.ts";
import { presentProduct } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams } from "../request-body.ts";
import { idParam, priceAmount, searchText } from "../schemas.ts";

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

const sku = v.optional(
  v.nullable(
    domainValue((input) => Sku.parse(input), {
      type: "string",
      pattern: "^[A-Za-z0-9._-]{1,64}$",
      description: "Unique within the business.",
    }),
  ),
);

export const ProductCreateBody = v.object({ name, price: priceAmount, stock, sku });
export const ProductUpdateBody = v.object({
  name: v.optional(name),
  price: v.optional(priceAmount),
  stock: v.optional(stock),
  sku,
});
export const RestockBody = v.object({
  quantity: domainValue((input) => StockLevel.parseDelivery(input), {
    type: "integer",
    minimum: 1,
    maximum: StockLevel.MAX,
    description: "How many units arrived: added to the sellable stock.",
  }),
});
const ProductsQuery = v.pipe(
  v.object({
    archived: v.optional(v.picklist(["true", "false"], "must be true or false")),
    q: v.optional(searchText(ProductName.MAX)),
    ...PAGE_ENTRIES,
  }),
  v.transform(({ archived, q, ...paging }) => ({
    filter: { includeArchived: archived === "true", ...(q === undefined ? {} : { q }) },
    page: pageOf(paging),
  })),
);
const BusinessPath = v.object({ businessId: idParam });
const ProductPath = v.object({ businessId: idParam, productId: idParam });

/** `/api/businesses/:businessId/products`: what a business sells, with its sellable and reserved stock. */
export function productRoutes(deps: {
  readonly createProduct: CreateProduct;
  readonly listProducts: ListProducts;
  readonly updateProduct: UpdateProduct;
  readonly restockProduct: RestockProduct;
  readonly archiveProduct: ArchiveProduct;
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
        query: [
          {
            name: "archived",
            description:
              "true: archived products too, listed with the active ones; false (the default): active products only.",
          },
          { name: "q", description: "Only products whose name or SKU contains this (any case)." },
          ...PAGE_QUERY,
        ],
        success: { status: 200, description: "Newest first.", schema: page("products", ProductSchema) },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(ProductsQuery),
      async (c) => {
        const result = await deps.listProducts.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          ...c.req.valid("query"),
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
        summary: "Change a product's name, price, SKU or sellable stock",
        permission: "products:write",
        description:
          "`stock` sets the sellable quantity; to add a delivery while sales may be reserving, use restock instead.",
        readsJson: true,
        success: { status: 200, description: "Updated.", schema: v.object({ product: ProductSchema }) },
        problems: [404, 409],
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
    )
    .post(
      "/api/businesses/:businessId/products/:productId/restock",
      routeDoc({
        tag: "Products",
        summary: "Add delivered units to a product's stock",
        permission: "products:write",
        description:
          "Adds `quantity` to the sellable stock atomically: units pending sales reserve meanwhile stay reserved.",
        readsJson: true,
        success: { status: 200, description: "Restocked.", schema: v.object({ product: ProductSchema }) },
        problems: [404],
      }),
      pathParams(ProductPath),
      jsonBody(RestockBody),
      async (c) => {
        const result = await deps.restockProduct.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          quantity: c.req.valid("json").quantity,
        });
        return result.ok
          ? c.json({ product: presentProduct(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .delete(
      "/api/businesses/:businessId/products/:productId",
      routeDoc({
        tag: "Products",
        summary: "Archive a product",
        permission: "products:write",
        description:
          "It can no longer be sold, stays in the sales that list it, and is left out of lists unless they ask for `archived=true`. Pending sales keep what they reserved.",
        success: {
          status: 200,
          description: "Archived (with archivedAt).",
          schema: v.object({ product: ProductSchema }),
        },
        problems: [400, 404],
      }),
      pathParams(ProductPath),
      async (c) => {
        const result = await deps.archiveProduct.execute({ access: c.var.access, ...c.req.valid("param") });
        return result.ok
          ? c.json({ product: presentProduct(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    );
}
