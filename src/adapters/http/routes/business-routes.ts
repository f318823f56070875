import { Hono } from "hono";
import * as v from "valibot";
import type { CreateBusiness } from "../../../application/accounts/create-business.ts";
import type { GetBusiness } from "../../../application/accounts/get-business.ts";
import type { ListBusinesses } from "../../../application/accounts/list-businesses.ts";
import { Business } from "../../../domain/business.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { BusinessSchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { presentBusiness, presentMembership } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

export const CreateBusinessBody = v.object({
  name: domainValue((input) => Business.parseName(input), { type: "string", maxLength: Business.NAME_MAX }),
});

const BusinessPath = v.object({ businessId: idParam });

/** `/api/businesses`: the signed-in user's businesses. Mounted behind the bearer-token guard. */
export function businessRoutes(deps: {
  readonly createBusiness: CreateBusiness;
  readonly listBusinesses: ListBusinesses;
  readonly getBusiness: GetBusiness;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .get(
      "/api/businesses",
      routeDoc({
        tag: "Businesses",
        summary: "List the businesses I belong to",
        description:
          "Every business the user is a member of, with their role; for an API key, its own business.",
        permission: "businesses:list",
        success: {
          status: 200,
          description: "Newest first.",
          schema: v.object({ businesses: v.array(BusinessSchema) }),
        },
      }),
      async (c) => {
        const businesses = await deps.listBusinesses.execute(c.var.actor);
        return c.json({ businesses: businesses.map(presentMembership) });
      },
    )
    .post(
      "/api/businesses",
      routeDoc({
        tag: "Businesses",
        summary: "Open another business",
        permission: "account:use",
        readsJson: true,
        success: { status: 201, description: "Created.", schema: v.object({ business: BusinessSchema }) },
        problems: [422],
      }),
      jsonBody(CreateBusinessBody),
      async (c) => {
        const result = await deps.createBusiness.execute({
          ownerId: c.var.user.id,
          name: c.req.valid("json").name,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        return c.json({ business: presentBusiness(result.value, "owner") }, 201);
      },
    )
    .get(
      "/api/businesses/:businessId",
      routeDoc({
        tag: "Businesses",
        summary: "One of my businesses",
        permission: "business:read",
        success: {
          status: 200,
          description: "The business.",
          schema: v.object({ business: BusinessSchema }),
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      async (c) => {
        const result = await deps.getBusiness.execute({
          access: c.var.access,
          businessId: c.req.valid("param").businessId,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        return c.json({ business: presentBusiness(result.value) });
      },
    );
}
