import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { ChangePayoutLimits } from "../../../application/payouts/change-payout-limits.ts";
import type { GetPayout } from "../../../application/payouts/get-payout.ts";
import type { GetPayoutConfig } from "../../../application/payouts/get-payout-config.ts";
import type { GetPayoutStory } from "../../../application/payouts/get-payout-story.ts";
import type { InitiatePayout } from "../../../application/payouts/initiate-payout.ts";
import type { ListPayouts } from "../../../application/payouts/list-payouts.ts";
import type { SetUpPayoutConfig } from "../../../application/payouts/set-up-payout-config.ts";
import { InitiatorName } from "../../../domain/initiator-name.ts";
import { InitiatorPassword } from "../../../domain/initiator-password.ts";
import type { InvalidInput } from "../../../domain/invalid-value.ts";
import type { Kes } from "../../../domain/kes.ts";
import { PAYOUT_COMMANDS, PAYOUT_STATUSES, Payout } from "../../../domain/payout.ts";
import { PayoutConfig } from "../../../domain/payout-config.ts";
import { PayoutLimits } from "../../../domain/payout-limits.ts";
import { PayoutRemarks } from "../../../domain/payout-remarks.ts";
import type { Result } from "../../../domain/result.ts";
import { domainValue, withDomainRule } from "../domain-value.ts";
import { fromQuery, toQuery } from "../eat-time.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import {
  PayoutConfigSchema,
  PayoutSchema,
  PayoutStoryEntrySchema,
  page,
} from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PAGE_ENTRIES, pageOf } from "../pagination.ts";
import { presentPayout, presentPayoutConfig, presentPayoutStoryEntry } from "../payout-presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams } from "../request-body.ts";
import {
  CHOSEN_BUSINESS_QUERY_DOC,
  ChosenBusinessQuery,
  idParam,
  msisdnField,
  payoutAmount,
  shortcodeField,
} from "../schemas.ts";

/** A consumer key or secret: text, or left out (null, or ""). */
const ownAppText = (description: string) =>
  v.pipe(
    v.optional(v.nullable(v.string("must be text")), null),
    v.transform((text) => (text === "" ? null : text)),
    v.metadata({ description }),
  );

/** `POST /api/payout-config/setup`: each field read by its value object's parser, a key and secret together. */
export const PayoutConfigSetupBody = withDomainRule(
  v.object({
    businessId: v.optional(v.nullable(idParam)),
    shortcode: shortcodeField("shortcode", "The B2C (disbursement) shortcode."),
    initiatorName: domainValue((input) => InitiatorName.parse(input), {
      type: "string",
      maxLength: InitiatorName.MAX,
      description: "The API operator's username on the M-Pesa org portal.",
    }),
    initiatorPassword: domainValue((input) => InitiatorPassword.parse(input), {
      type: "string",
      minLength: 1,
      maxLength: InitiatorPassword.MAX,
      description: "The API operator's password.",
    }),
    consumerKey: ownAppText("Your own Daraja app's consumer key."),
    consumerSecret: ownAppText("Your own Daraja app's consumer secret."),
  }),
  ["consumerKey", "consumerSecret"],
  (fields) => PayoutConfig.pairOwnApp(fields.consumerKey, fields.consumerSecret),
);

export const PayoutBody = v.object({
  // May be left out with an API key (its own business) or by a member of one business only.
  businessId: v.optional(idParam),
  phone: msisdnField("The phone the money goes to."),
  amount: payoutAmount,
  remarks: v.optional(
    domainValue((input) => PayoutRemarks.parse(input), {
      type: "string",
      minLength: PayoutRemarks.MIN,
      maxLength: PayoutRemarks.MAX,
      description: 'What the recipient reads beside the payout; "Payout" when left out.',
    }),
  ),
  commandId: v.optional(
    domainValue((input) => Payout.parseCommand(input), {
      enum: [...PAYOUT_COMMANDS],
      type: "string",
      description: "BusinessPayment when left out.",
    }),
  ),
});

const limit = (parse: (input: unknown) => Result<Kes, InvalidInput>, max: number) =>
  domainValue(parse, { type: "integer", minimum: PayoutLimits.MIN, maximum: max });

/** `PATCH /api/payout-config`: either limit, or both; one left out stays as it is. */
export const PayoutLimitsBody = v.object({
  businessId: v.optional(v.nullable(idParam)),
  dailyLimit: v.optional(limit((input) => PayoutLimits.parseDaily(input), PayoutLimits.DAILY_MAX)),
  perPayoutLimit: v.optional(
    limit((input) => PayoutLimits.parsePerPayout(input), PayoutLimits.PER_PAYOUT_MAX),
  ),
});

const BusinessPath = v.object({ businessId: idParam });
const PayoutPath = v.object({ payoutId: idParam });
const PayoutsQuery = v.pipe(
  v.object({
    status: v.optional(v.picklist(PAYOUT_STATUSES, `must be one of ${PAYOUT_STATUSES.join(", ")}`)),
    from: v.optional(fromQuery),
    to: v.optional(toQuery),
    ...PAGE_ENTRIES,
  }),
  v.forward(
    v.check(({ from, to }) => from === undefined || to === undefined || from < to, "must not be before from"),
    ["to"],
  ),
  v.transform(({ limit, cursor, ...filter }) => ({ ...filter, page: pageOf({ limit, cursor }) })),
);

/**
 * Business payouts by B2C: the payout config (`/api/payout-config/setup`) and its limits, sending a payout,
 * and reading payouts and a payout's story. Mounted behind the bearer-token guard.
 */
export function payoutRoutes(deps: {
  readonly setUpPayoutConfig: SetUpPayoutConfig;
  readonly initiatePayout: InitiatePayout;
  readonly getPayout: GetPayout;
  readonly getPayoutStory: GetPayoutStory;
  readonly getPayoutConfig: GetPayoutConfig;
  readonly changePayoutLimits: ChangePayoutLimits;
  readonly listPayouts: ListPayouts;
  /** Idempotency-Key handling for a route, by its name. */
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post(
      "/api/payout-config/setup",
      routeDoc({
        tag: "Payouts",
        summary: "Register the business's B2C shortcode and initiator",
        permission: "configs:manage",
        description: "The initiator password and consumer secret are sealed and never shown again.",
        readsJson: true,
        success: {
          status: 201,
          description: "The new active payout config.",
          schema: v.object({ payoutConfig: PayoutConfigSchema }),
        },
        problems: [404],
      }),
      jsonBody(PayoutConfigSetupBody),
      async (c) => {
        const result = await deps.setUpPayoutConfig.execute({
          access: c.var.access,
          ...c.req.valid("json"),
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(
          { payoutConfigId: result.value.id, businessId: result.value.businessId },
          "payout config set up",
        );
        return c.json({ payoutConfig: presentPayoutConfig(result.value) }, 201);
      },
    )
    .get(
      "/api/payout-config",
      routeDoc({
        tag: "Payouts",
        summary: "The business's active payout config and its limits",
        permission: "configs:manage",
        query: CHOSEN_BUSINESS_QUERY_DOC,
        success: {
          status: 200,
          description: "The config (never the initiator password).",
          schema: v.object({ payoutConfig: PayoutConfigSchema }),
        },
        problems: [400, 404],
      }),
      queryParams(ChosenBusinessQuery),
      async (c) => {
        const { businessId } = c.req.valid("query");
        const result = await deps.getPayoutConfig.execute({
          access: c.var.access,
          ...(businessId === undefined ? {} : { businessId }),
        });
        return result.ok
          ? c.json({ payoutConfig: presentPayoutConfig(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .patch(
      "/api/payout-config",
      routeDoc({
        tag: "Payouts",
        summary: "Change the business's payout limits",
        permission: "configs:manage",
        description:
          "The daily limit (10 to 1,000,000,000; counted over pending and completed payouts since midnight EAT) and the per-payout limit (10 to 250,000). A limit left out stays as it is. Only the business's owner may change them.",
        readsJson: true,
        success: {
          status: 200,
          description: "The config with its new limits.",
          schema: v.object({ payoutConfig: PayoutConfigSchema }),
        },
        problems: [404],
      }),
      jsonBody(PayoutLimitsBody),
      async (c) => {
        const { businessId, dailyLimit, perPayoutLimit } = c.req.valid("json");
        const result = await deps.changePayoutLimits.execute({
          access: c.var.access,
          ...(businessId === undefined || businessId === null ? {} : { businessId }),
          ...(dailyLimit === undefined ? {} : { dailyLimit }),
          ...(perPayoutLimit === undefined ? {} : { perPayoutLimit }),
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(
          {
            payoutConfigId: result.value.id,
            businessId: result.value.businessId,
            dailyLimit: result.value.limits.daily,
            perPayoutLimit: result.value.limits.perPayout,
          },
          "payout limits changed",
        );
        return c.json({ payoutConfig: presentPayoutConfig(result.value) });
      },
    )
    .get(
      "/api/businesses/:businessId/payouts",
      routeDoc({
        tag: "Payouts",
        summary: "A business's payouts",
        permission: "payouts:read",
        query: [
          { name: "status", description: "pending, completed or failed." },
          {
            name: "from",
            description:
              "Created at or after: an ISO 8601 date (from its midnight) or time; EAT when no zone is given.",
          },
          {
            name: "to",
            description:
              "Created at or before: an ISO 8601 date (its whole day) or time; EAT when no zone is given.",
          },
          ...PAGE_QUERY,
        ],
        success: { status: 200, description: "Newest first.", schema: page("payouts", PayoutSchema) },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(PayoutsQuery),
      async (c) => {
        const { businessId } = c.req.valid("param");
        const { status, from, to, page } = c.req.valid("query");
        const result = await deps.listPayouts.execute({
          access: c.var.access,
          businessId,
          filter: {
            ...(status === undefined ? {} : { status }),
            ...(from === undefined ? {} : { createdFrom: from }),
            ...(to === undefined ? {} : { createdBefore: to }),
          },
          page,
        });
        return result.ok
          ? c.json({ payouts: result.value.items.map(presentPayout), nextCursor: result.value.nextCursor })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .post(
      "/api/payouts",
      routeDoc({
        tag: "Payouts",
        summary: "Pay money out by B2C",
        permission: "payouts:write",
        description:
          "Stored pending before Daraja is called; never sent twice. Only a definite refusal fails it; an unclear answer, a duplicate OriginatorConversationID or a queue timeout leaves it pending, settled by its result or Transaction Status. A payout over the business's per-payout or daily limit is refused (422 payout_limit_exceeded).",
        idempotent: true,
        readsJson: true,
        success: {
          status: 202,
          description:
            "Sent (pushOutcome accepted), or Daraja's answer did not say whether it started (pushOutcome unknown): pending either way; poll the payout.",
          schema: v.object({ payout: PayoutSchema }),
        },
        problems: [404, 409, 422, 502, 503],
      }),
      deps.idempotent("POST /api/payouts"),
      jsonBody(PayoutBody),
      async (c) => {
        const result = await deps.initiatePayout.execute({ access: c.var.access, ...c.req.valid("json") });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info({ payoutId: result.value.id, status: result.value.status }, "payout initiated");
        return c.json({ payout: presentPayout(result.value) }, 202);
      },
    )
    .get(
      "/api/payouts/:payoutId",
      routeDoc({
        tag: "Payouts",
        summary: "One payout",
        permission: "payouts:read",
        success: { status: 200, description: "The payout.", schema: v.object({ payout: PayoutSchema }) },
        problems: [400, 404],
      }),
      pathParams(PayoutPath),
      async (c) => {
        const result = await deps.getPayout.execute({
          access: c.var.access,
          payoutId: c.req.valid("param").payoutId,
        });
        return result.ok
          ? c.json({ payout: presentPayout(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/payouts/:payoutId/events",
      routeDoc({
        tag: "Payouts",
        summary: "A payout's story",
        permission: "payouts:read",
        description: "Who asked, when, what Daraja answered, and every callback.",
        success: {
          status: 200,
          description: "Oldest first.",
          schema: v.object({ payout: PayoutSchema, events: v.array(PayoutStoryEntrySchema) }),
        },
        problems: [400, 404],
      }),
      pathParams(PayoutPath),
      async (c) => {
        const result = await deps.getPayoutStory.execute({
          access: c.var.access,
          payoutId: c.req.valid("param").payoutId,
        });
        return result.ok
          ? c.json({
              payout: presentPayout(result.value.payout),
              events: result.value.entries.map(presentPayoutStoryEntry),
            })
          : problemResponse(c, problemFor(result.error));
      },
    );
}
