import { Hono } from "hono";
import * as v from "valibot";
import type { CheckBalance } from "../../../application/lookups/check-balance.ts";
import type { GetLookupQuery } from "../../../application/lookups/get-lookup-query.ts";
import type { LookUpTransaction } from "../../../application/lookups/look-up-transaction.ts";
import {
  type BalanceQuery,
  type LookupQuery,
  RECEIPT_PATTERN,
  type StatusQuery,
} from "../../../domain/lookup-query.ts";
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

/** What tells the two kinds of look-up apart where a query is read back: its path, its schema and its presenter. */
type QueryRoutesOf<Q extends LookupQuery> = {
  readonly kind: Q["kind"];
  /** `/api/<queries>/:queryId`. */
  readonly queries: string;
  /** The response's one field, as the creating route names it too. */
  readonly field: string;
  readonly schema: v.GenericSchema;
  readonly present: (query: Q) => unknown;
  readonly entity: string;
  readonly summary: string;
  readonly description: string;
};

const STATUS_QUERIES: QueryRoutesOf<StatusQuery> = {
  kind: "transaction_status",
  queries: "status-queries",
  field: "statusQuery",
  schema: StatusQuerySchema,
  present: presentStatusQuery,
  entity: "status query",
  summary: "A transaction look-up as it now stands",
  description: "The query: pending, completed with its transaction, or failed with the reason.",
};

const BALANCE_QUERIES: QueryRoutesOf<BalanceQuery> = {
  kind: "account_balance",
  queries: "balance-queries",
  field: "balanceQuery",
  schema: BalanceQuerySchema,
  present: presentBalanceQuery,
  entity: "balance query",
  summary: "A balance query as it now stands",
  description: "The query: pending, completed with the balance, or failed with the reason.",
};

/** `GET /api/<queries>/:queryId`: a look-up of one kind as it now stands; one of the other kind is not found. */
function lookupQueryRoutes<Q extends LookupQuery>(
  deps: { readonly getLookupQuery: GetLookupQuery },
  spec: QueryRoutesOf<Q>,
): Hono<HttpEnv> {
  return new Hono<HttpEnv>().get(
    `/api/${spec.queries}/:queryId`,
    routeDoc({
      tag: "Look-ups",
      summary: spec.summary,
      permission: "transactions:read",
      success: {
        status: 200,
        description: spec.description,
        schema: v.object({ [spec.field]: spec.schema }),
      },
      problems: [400, 404],
    }),
    pathParams(QueryPath),
    async (c) => {
      const result = await deps.getLookupQuery.execute({
        access: c.var.access,
        id: c.req.valid("param").queryId,
        kind: spec.kind,
      });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      const query = result.value;
      return query.kind === spec.kind
        ? c.json({ [spec.field]: spec.present(query as Q) })
        : problemResponse(c, problemFor({ type: "not_found", entity: spec.entity }));
    },
  );
}

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
    .route("/", lookupQueryRoutes(deps, STATUS_QUERIES))
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
    .route("/", lookupQueryRoutes(deps, BALANCE_QUERIES));
}
