import { Hono } from "hono";
import * as v from "valibot";
import { c2bPaymentView } from "../../../application/c2b/c2b-payment-view.ts";
import type { GetC2bPayment } from "../../../application/c2b/get-c2b-payment.ts";
import type { ListC2bPayments } from "../../../application/c2b/list-c2b-payments.ts";
import type { PullC2bPayments } from "../../../application/c2b/pull-c2b-payments.ts";
import type { RegisterC2bUrls } from "../../../application/c2b/register-c2b-urls.ts";
import { C2B_RESPONSE_TYPES, type C2bRegistration } from "../../../domain/c2b-registration.ts";
import { C2B_AMOUNT_MAX } from "../../daraja/parse-c2b-notification.ts";
import { fromQuery, toQuery } from "../eat-time.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { C2bPaymentSchema, C2bRegistrationSchema, page } from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PAGE_ENTRIES, pageOf } from "../pagination.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams } from "../request-body.ts";
import { idParam, searchText } from "../schemas.ts";

const AMOUNT_RULE = `must be whole shillings from 1 to ${C2B_AMOUNT_MAX}`;
const amountLimit = v.optional(
  v.nullable(
    v.pipe(
      v.number(AMOUNT_RULE),
      v.integer(AMOUNT_RULE),
      v.minValue(1, AMOUNT_RULE),
      v.maxValue(C2B_AMOUNT_MAX, AMOUNT_RULE),
    ),
  ),
  null,
);

/** `POST /api/businesses/:businessId/c2b/register`. */
export const C2bRegisterBody = v.pipe(
  v.object({
    responseType: v.optional(
      v.picklist(C2B_RESPONSE_TYPES, `must be one of ${C2B_RESPONSE_TYPES.join(", ")} (exactly so spelt)`),
      "Completed",
    ),
    validation: v.optional(
      v.object({
        enabled: v.boolean("must be true or false"),
        minAmount: amountLimit,
        maxAmount: amountLimit,
        requireKnownAccount: v.optional(v.boolean("must be true or false"), false),
      }),
      { enabled: false, minAmount: null, maxAmount: null, requireKnownAccount: false },
    ),
  }),
  v.forward(
    v.check(
      ({ validation }) =>
        validation.minAmount === null ||
        validation.maxAmount === null ||
        validation.minAmount <= validation.maxAmount,
      "must not be below minAmount",
    ),
    ["validation", "maxAmount"],
  ),
);

const BusinessPath = v.object({ businessId: idParam });
const PaymentPath = v.object({ paymentId: idParam });
const C2bPaymentsQuery = v.pipe(
  v.object({
    from: v.optional(fromQuery),
    to: v.optional(toQuery),
    q: v.optional(searchText(64)),
    ...PAGE_ENTRIES,
  }),
  v.forward(
    v.check(({ from, to }) => from === undefined || to === undefined || from < to, "must not be before from"),
    ["to"],
  ),
  v.transform(({ limit, cursor, ...filter }) => ({ ...filter, page: pageOf({ limit, cursor }) })),
);

/** A registration as the API shows it: its URLs masked, the token never. */
export const presentC2bRegistration = (registration: C2bRegistration) => ({
  shortcode: registration.shortcode,
  registeredAt: registration.registeredAt.toISOString(),
  confirmationUrl: registration.confirmationUrl,
  validationUrl: registration.validationUrl,
  responseType: registration.responseType,
  validation: registration.validation,
  darajaResponse: registration.darajaResponse,
});

/**
 * C2B: registering the business's confirmation and validation URLs with Daraja, and reading the payments
 * customers made from their own M-Pesa menu. Mounted behind the bearer-token guard.
 */
export function c2bRoutes(deps: {
  readonly registerC2bUrls: RegisterC2bUrls;
  readonly listC2bPayments: ListC2bPayments;
  readonly getC2bPayment: GetC2bPayment;
  readonly pullC2bPayments: PullC2bPayments;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post(
      "/api/businesses/:businessId/c2b/pull",
      routeDoc({
        tag: "C2B",
        summary: "Backfill missed C2B payments with Pull Transactions",
        permission: "c2b:manage",
        description:
          "Asks Daraja's Pull Transactions for the last 48 hours of the registered shortcode and records every receipt not yet known, exactly once. The reconciler does the same every C2B_PULL_MINUTES.",
        success: {
          status: 200,
          description: "How many payments Daraja listed, and how many of them were new.",
          schema: v.object({ pulled: v.number(), recorded: v.number() }),
        },
        problems: [400, 404, 502, 503],
      }),
      pathParams(BusinessPath),
      async (c) => {
        const result = await deps.pullC2bPayments.execute({
          access: c.var.access,
          businessId: c.req.valid("param").businessId,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(result.value, "c2b payments pulled");
        return c.json(result.value);
      },
    )
    .post(
      "/api/businesses/:businessId/c2b/register",
      routeDoc({
        tag: "C2B",
        summary: "Register the business's C2B URLs with Daraja",
        permission: "c2b:manage",
        description:
          "Calls Daraja's C2B Register URL (v2) for the business's active, verified config: the paybill, or a till's store number. The URLs carry a fresh secret token (shown masked, never again); an earlier registration's token stops working. In production Daraja refuses a second registration: delete the URLs on the M-Pesa portal first.",
        readsJson: true,
        success: {
          status: 200,
          description: "Registered.",
          schema: v.object({ c2b: C2bRegistrationSchema }),
        },
        problems: [404, 409, 422, 502, 503],
      }),
      pathParams(BusinessPath),
      jsonBody(C2bRegisterBody),
      async (c) => {
        const { businessId } = c.req.valid("param");
        const body = c.req.valid("json");
        const result = await deps.registerC2bUrls.execute({
          access: c.var.access,
          businessId,
          responseType: body.responseType,
          validation: body.validation,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info({ businessId, shortcode: result.value.shortcode }, "c2b urls registered");
        return c.json({ c2b: presentC2bRegistration(result.value) });
      },
    )
    .get(
      "/api/businesses/:businessId/c2b-payments",
      routeDoc({
        tag: "C2B",
        summary: "A business's C2B payments",
        permission: "c2b:read",
        query: [
          {
            name: "from",
            description: "Paid at or after: an ISO 8601 date or time; EAT when no zone is given.",
          },
          { name: "to", description: "Paid before the end of: an ISO 8601 date (its whole day) or time." },
          { name: "q", description: "Matches the receipt, the account number or the payer's name." },
          ...PAGE_QUERY,
        ],
        success: {
          status: 200,
          description: "Newest first, with totals over the whole filtered set.",
          schema: v.object({
            ...page("c2bPayments", C2bPaymentSchema).entries,
            totals: v.object({ count: v.number(), amount: v.number() }),
          }),
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(C2bPaymentsQuery),
      async (c) => {
        const { businessId } = c.req.valid("param");
        const { from, to, q, page } = c.req.valid("query");
        const result = await deps.listC2bPayments.execute({
          access: c.var.access,
          businessId,
          filter: {
            ...(from === undefined ? {} : { from }),
            ...(to === undefined ? {} : { to }),
            ...(q === undefined ? {} : { q }),
          },
          page,
        });
        return result.ok
          ? c.json({
              c2bPayments: result.value.items.map(c2bPaymentView),
              nextCursor: result.value.nextCursor,
              totals: result.value.totals,
            })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/c2b-payments/:paymentId",
      routeDoc({
        tag: "C2B",
        summary: "One C2B payment",
        permission: "c2b:read",
        success: {
          status: 200,
          description: "The payment.",
          schema: v.object({ c2bPayment: C2bPaymentSchema }),
        },
        problems: [400, 404],
      }),
      pathParams(PaymentPath),
      async (c) => {
        const result = await deps.getC2bPayment.execute({
          access: c.var.access,
          paymentId: c.req.valid("param").paymentId,
        });
        return result.ok
          ? c.json({ c2bPayment: c2bPaymentView(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    );
}
