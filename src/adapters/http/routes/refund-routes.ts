import { type Context, Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetRefund } from "../../../application/refunds/get-refund.ts";
import {
  type InitiateRefund,
  REFUND_REASON_MAX,
  type RefundTarget,
} from "../../../application/refunds/initiate-refund.ts";
import { refundView } from "../../../application/refunds/refund-view.ts";
import { invalid } from "../../../domain/invalid-value.ts";
import { Kes } from "../../../domain/kes.ts";
import { err } from "../../../domain/result.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { RefundSchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

/** The most one refund may give back: a C2B payment's largest amount. */
export const REFUND_AMOUNT_MAX = 1_000_000;

/** `{ amount?, reason?, restock? }`: whole shillings, a short reason, and whether a full refund restocks. */
export const RefundBody = v.object({
  amount: v.optional(
    domainValue(
      (input) => {
        const amount = Kes.of(input);
        if (!amount.ok) {
          return amount;
        }
        return amount.value.value < 1 || amount.value.value > REFUND_AMOUNT_MAX
          ? err(invalid("amount", `must be a whole number of shillings from 1 to ${REFUND_AMOUNT_MAX}`))
          : amount;
      },
      {
        type: "integer",
        minimum: 1,
        maximum: REFUND_AMOUNT_MAX,
        description:
          "Whole shillings to give back; left out, everything left. The whole payment is a Reversal; less is a B2C payment of at least 10 to the phone the prompt went to.",
      },
    ),
  ),
  reason: v.optional(
    v.nullable(
      v.pipe(
        v.string("must be text"),
        v.trim(),
        v.maxLength(REFUND_REASON_MAX, `must be at most ${REFUND_REASON_MAX} characters`),
        v.transform((text) => (text === "" ? null : text)),
      ),
    ),
    null,
  ),
  restock: v.optional(
    v.nullable(
      v.pipe(
        v.boolean("must be true or false"),
        v.metadata({
          description: "Put the sale's items back in stock; the default for a full refund of a sale.",
        }),
      ),
    ),
    null,
  ),
});

const SalePath = v.object({ saleId: idParam });
const C2bPath = v.object({ paymentId: idParam });
const RefundPath = v.object({ refundId: idParam });

const refundDoc = (what: string) =>
  routeDoc({
    tag: "Refunds",
    summary: `Refund ${what}`,
    permission: "refunds:write",
    description:
      "The whole payment (no amount, or all of it) is reversed with Daraja's Reversal API by the payment config's initiator (422 initiator_missing without one); a part is sent back by B2C from the payout config (422 payout_config_missing; at least KES 10; counts towards the payout limits). Refunds of one receipt, pending and completed, never exceed the payment, whichever resource they are asked through. 422 not_refundable, with the reason in detail, when the payment is not paid, has no receipt yet, has nothing left, or is a C2B payment or a sale paid by reference asked for part of it (the payer's phone is masked). Stored pending before Daraja is called; an unclear answer leaves it pending until its result or a Transaction Status query settles it.",
    idempotent: true,
    readsJson: true,
    success: {
      status: 202,
      description:
        "Pending (or, after a definite refusal, answered as a problem): poll GET /api/refunds/:id.",
      schema: v.object({ refund: RefundSchema }),
    },
    problems: [404, 409, 422, 502, 503],
  });

/**
 * Refunds of paid sales and C2B payments, and reading one refund. Mounted behind the bearer-token guard. The
 * Idempotency-Key of a refund is scoped to its concrete path (`POST /api/sales/<id>/refund`).
 */
export function refundRoutes(deps: {
  readonly initiateRefund: InitiateRefund;
  readonly getRefund: GetRefund;
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  const byConcretePath: MiddlewareHandler<HttpEnv> = (c, next) =>
    deps.idempotent(`POST ${c.req.path}`)(c, next);

  const refund = async (
    c: Context<HttpEnv>,
    target: RefundTarget,
    body: v.InferOutput<typeof RefundBody>,
  ): Promise<Response> => {
    const result = await deps.initiateRefund.execute({
      access: c.var.access,
      target,
      amount: body.amount ?? null,
      reason: body.reason,
      restock: body.restock,
    });
    if (!result.ok) {
      return problemResponse(c, problemFor(result.error));
    }
    c.var.log.info(
      { refundId: result.value.id, method: result.value.method, status: result.value.status },
      "refund initiated",
    );
    return c.json({ refund: refundView(result.value) }, 202);
  };

  return new Hono<HttpEnv>()
    .post(
      "/api/sales/:saleId/refund",
      refundDoc("a paid sale"),
      pathParams(SalePath),
      byConcretePath,
      jsonBody(RefundBody),
      (c) => refund(c, { kind: "sale", id: c.req.valid("param").saleId }, c.req.valid("json")),
    )
    .post(
      "/api/c2b-payments/:paymentId/refund",
      refundDoc("a C2B payment"),
      pathParams(C2bPath),
      byConcretePath,
      jsonBody(RefundBody),
      (c) => refund(c, { kind: "c2b_payment", id: c.req.valid("param").paymentId }, c.req.valid("json")),
    )
    .get(
      "/api/refunds/:refundId",
      routeDoc({
        tag: "Refunds",
        summary: "One refund",
        permission: "sales:read",
        success: { status: 200, description: "The refund.", schema: v.object({ refund: RefundSchema }) },
        problems: [400, 404],
      }),
      pathParams(RefundPath),
      async (c) => {
        const result = await deps.getRefund.execute({
          access: c.var.access,
          refundId: c.req.valid("param").refundId,
        });
        return result.ok
          ? c.json({ refund: refundView(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    );
}
