import { Hono } from "hono";
import * as v from "valibot";
import type { CreateBusiness } from "../../../application/accounts/create-business.ts";
import type { GetBusiness } from "../../../application/accounts/get-business.ts";
import type { ListBusinesses } from "../../../application/accounts/list-businesses.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { presentBusiness } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { readBody, readParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

export const CreateBusinessBody = v.object({
  name: v.pipe(
    v.string("is required, as text"),
    v.check((value) => value.trim().length > 0, "must not be empty"),
    v.maxLength(100, "must be at most 100 characters"),
  ),
});

/** `/api/businesses`: the signed-in user's businesses. Mounted behind the bearer-token guard. */
export function businessRoutes(deps: {
  readonly createBusiness: CreateBusiness;
  readonly listBusinesses: ListBusinesses;
  readonly getBusiness: GetBusiness;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .get("/api/businesses", async (c) => {
      const businesses = await deps.listBusinesses.execute({ ownerId: c.var.user.id });
      return c.json({ businesses: businesses.map(presentBusiness) });
    })
    .post("/api/businesses", async (c) => {
      const body = await readBody(c, CreateBusinessBody);
      if (!body.ok) {
        return body.error;
      }
      const result = await deps.createBusiness.execute({ ownerId: c.var.user.id, name: body.value.name });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      return c.json({ business: presentBusiness(result.value) }, 201);
    })
    .get("/api/businesses/:businessId", async (c) => {
      const params = readParams(c, v.object({ businessId: idParam }), c.req.param());
      if (!params.ok) {
        return params.error;
      }
      const result = await deps.getBusiness.execute({
        ownerId: c.var.user.id,
        businessId: params.value.businessId,
      });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      return c.json({ business: presentBusiness(result.value) });
    });
}
