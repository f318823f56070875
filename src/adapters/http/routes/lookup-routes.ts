import { Hono } from "hono";
import * as v from "valibot";
import type { CheckBalance } from "../../../application/lookups/check-balance.ts";
import type { GetLookupQuery } from "../../../application/lookups/get-lookup-query.ts";
import type { LookUpTransaction } from "../../../application/lookups/look-up-transaction.ts";
import { RECEIPT_PATTERN } from "../../../domain/lookup-query.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import {
  presentBalance,
  presentBalanceQuery,
  presentStatusQuery,
  presentTransaction,
} from "../lookup-presenters.ts";
import {
  BalanceQuerySchema,
  BalanceSchema,
  StatusQuerySchema,
  TransactionSchema,
} from "../openapi/lookup-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { problemResponse } from "../problem.ts";
import { pathParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

const RECEIPT_RULE = "must be an M-Pesa receipt: 8 to 20 letters and digits";

const TransactionPath = v.object({
  businessId: idParam,
  receipt: v.pipe(v.string(RECEIPT_RULE), v.trim(), v.toUpperCase(), v.regex(RECEIPT_PATTERN, RECEIPT_RULE)),
});
const BusinessPath = v.object({ businessId: idParam });
const QueryPath = v.object({ queryId: idParam });

const WAIT =
  "Daraja answers by callback: PayMe waits up to 10 seconds for it. When it has not come by then (or the server is shutting down), the answer is 202 with the query, which shows the result once it comes.";

/**
 * Transaction look-up by receipt and the business's M-Pesa balance: Daraja's Transaction Status and Account
 * Balance, asked with the payment config's initiator, answered `200` when the result came within the wait and
 * `202` with a pollable query otherwise. Mounted behind the bearer-token guard.
 */
export function lookupRoutes(deps: {
  readonly lookUpTransaction: LookUpTransaction;
  readonly checkBalance: CheckBalance;
  readonly getLookupQuery: GetLookupQuery;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .get(
      "/api/businesses/:businessId/transactions/:receipt",
      routeDoc({
        tag: "Look-ups",
        summary: "Look up an M-Pesa transaction by its receipt",
        permission: "transactions:read",
        description: `Asks Daraja's Transaction Status about the receipt, for the business's own shortcode, with its payment config's initiator. ${WAIT} A result that is a failure (an unknown receipt, an initiator M-Pesa refused) answers 200 with the failed query and its reason, and no transaction.`,
        success: {
          status: 200,
          description: "The result came: the transaction (when M-Pesa found it) and the query.",
          schema: v.object({ transaction: v.optional(TransactionSchema), statusQuery: StatusQuerySchema }),
        },
        alsoSuccess: {
          status: 202,
          description: "Asked, but the result has not come yet: poll GET /api/status-queries/:id.",
          schema: v.object({ statusQuery: StatusQuerySchema }),
        },
        problems: [400, 404, 422, 502, 503],
      }),
      pathParams(TransactionPath),
      async (c) => {
        const { businessId, receipt } = c.req.valid("param");
        const result = await deps.lookUpTransaction.execute({ access: c.var.access, businessId, receipt });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        const query = result.value;
        c.var.log.info({ statusQueryId: query.id, status: query.status }, "transaction looked up");
        if (query.status === "pending") {
          return c.json({ statusQuery: presentStatusQuery(query) }, 202);
        }
        return c.json({
          ...(query.transaction === null ? {} : { transaction: presentTransaction(query.transaction) }),
          statusQuery: presentStatusQuery(query),
        });
      },
    )
    .get(
      "/api/status-queries/:queryId",
      routeDoc({
        tag: "Look-ups",
        summary: "A transaction look-up as it now stands",
        permission: "transactions:read",
        success: {
          status: 200,
          description: "The query: pending, completed with its transaction, or failed with the reason.",
          schema: v.object({ statusQuery: StatusQuerySchema }),
        },
        problems: [400, 404],
      }),
      pathParams(QueryPath),
      async (c) => {
        const result = await deps.getLookupQuery.execute({
          access: c.var.access,
          id: c.req.valid("param").queryId,
          kind: "transaction_status",
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        return result.value.kind === "transaction_status"
          ? c.json({ statusQuery: presentStatusQuery(result.value) })
          : problemResponse(c, problemFor({ type: "not_found", entity: "status query" }));
      },
    )
    .get(
      "/api/businesses/:businessId/balance",
      routeDoc({
        tag: "Look-ups",
        summary: "The business's M-Pesa balance",
        permission: "transactions:read",
        description: `Asks Daraja's Account Balance for the business's own shortcode (a till's store number), with its payment config's initiator. ${WAIT} A failed result answers 200 with the failed query and its reason, and no balance.`,
        success: {
          status: 200,
          description: "The result came: each account's figures, as Daraja gives them, and the query.",
          schema: v.object({ balance: v.optional(BalanceSchema), balanceQuery: BalanceQuerySchema }),
        },
        alsoSuccess: {
          status: 202,
          description: "Asked, but the result has not come yet: poll GET /api/balance-queries/:id.",
          schema: v.object({ balanceQuery: BalanceQuerySchema }),
        },
        problems: [400, 404, 422, 502, 503],
      }),
      pathParams(BusinessPath),
      async (c) => {
        const result = await deps.checkBalance.execute({
          access: c.var.access,
          businessId: c.req.valid("param").businessId,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        const query = result.value;
        c.var.log.info({ balanceQueryId: query.id, status: query.status }, "balance asked");
        if (query.status === "pending") {
          return c.json({ balanceQuery: presentBalanceQuery(query) }, 202);
        }
        return c.json({
          ...(query.balance === null ? {} : { balance: presentBalance(query.balance) }),
          balanceQuery: presentBalanceQuery(query),
        });
      },
    )
    .get(
      "/api/balance-queries/:queryId",
      routeDoc({
        tag: "Look-ups",
        summary: "A balance query as it now stands",
        permission: "transactions:read",
        success: {
          status: 200,
          description: "The query: pending, completed with the balance, or failed with the reason.",
          schema: v.object({ balanceQuery: BalanceQuerySchema }),
        },
        problems: [400, 404],
      }),
      pathParams(QueryPath),
      async (c) => {
        const result = await deps.getLookupQuery.execute({
          access: c.var.access,
          id: c.req.valid("param").queryId,
          kind: "account_balance",
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        return result.value.kind === "account_balance"
          ? c.json({ balanceQuery: presentBalanceQuery(result.value) })
          : problemResponse(c, problemFor({ type: "not_found", entity: "balance query" }));
      },
    );
}
