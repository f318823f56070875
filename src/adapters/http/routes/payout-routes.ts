import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { ChangePayoutLimits } from "../../../application/payouts/change-payout-limits.ts";
import type { GetPayout } from "../../../application/payouts/get-payout.ts";
import type { GetPayoutConfig } from "../../../application/payouts/get-payout-config.ts";
import type { GetPayoutStory } from "../../../application/payouts/get-payout-story.ts";
import type { InitiatePayout } from "../../../application/payouts/initiate-payout.ts";
import type { ListPayouts } from "../../../application/payouts/list-payouts.ts";
import type { SetUpPayoutConfig } from "../../../application/payouts/set-up-payout-config.ts";
import { Kes } from "../../../domain/kes.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { PAYOUT_COMMANDS, PAYOUT_STATUSES, Payout } from "../../../domain/payout.ts";
import { PayoutLimits } from "../../../domain/payout-limits.ts";
import { fromQuery, toQuery } from "../eat-time.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { readPage } from "../pagination.ts";
import { presentPayout, presentPayoutConfig, presentPayoutStoryEntry } from "../payout-presenters.ts";
import { problemResponse } from "../problem.ts";
import { readBody, readParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

const optionalText = v.optional(v.nullable(v.string("must be text")));

export const PayoutConfigSetupBody = v.object({
  businessId: v.optional(v.nullable(idParam)),
  shortcode: v.union(
    [v.string(), v.pipe(v.number(), v.integer())],
    "is required: the B2C shortcode, 5 to 7 digits",
  ),
  initiatorName: v.string("is required: the API operator's username on the M-Pesa org portal"),
  initiatorPassword: v.string("is required: the API operator's password"),
  consumerKey: optionalText,
  consumerSecret: optionalText,
});

export const PayoutBody = v.object({
  businessId: idParam,
  phone: v.pipe(
    v.string("is required, as a phone number such as 0712345678"),
    v.check((phone) => Msisdn.parse(phone).ok, "must be a Kenyan mobile number such as 0712345678"),
  ),
  amount: v.pipe(
    v.number("is required, as a whole number of shillings"),
    v.integer("must be whole shillings: M-Pesa has no cents"),
    v.minValue(Kes.PAYOUT_MIN, `must be between ${Kes.PAYOUT_MIN} and 250,000 shillings`),
    v.maxValue(Kes.PAYOUT_MAX, `must be between ${Kes.PAYOUT_MIN} and 250,000 shillings`),
  ),
  remarks: v.optional(
    v.pipe(
      v.string("must be text"),
      v.check(
        (text) => text.trim().length >= Payout.REMARKS_MIN && text.trim().length <= Payout.REMARKS_MAX,
        `must be ${Payout.REMARKS_MIN} to ${Payout.REMARKS_MAX} characters`,
      ),
    ),
  ),
  commandId: v.optional(v.picklist(PAYOUT_COMMANDS, `must be one of ${PAYOUT_COMMANDS.join(", ")}`)),
});

const limit = (max: number) => {
  const range = `must be a whole number of shillings from ${PayoutLimits.MIN} to ${max.toLocaleString("en-US")}`;
  return v.pipe(
    v.number(range),
    v.integer(range),
    v.minValue(PayoutLimits.MIN, range),
    v.maxValue(max, range),
  );
};

/** `PATCH /api/payout-config`: either limit, or both; one left out stays as it is. */
export const PayoutLimitsBody = v.object({
  businessId: v.optional(v.nullable(idParam)),
  dailyLimit: v.optional(limit(PayoutLimits.DAILY_MAX)),
  perPayoutLimit: v.optional(limit(PayoutLimits.PER_PAYOUT_MAX)),
});

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
    .post("/api/payout-config/setup", async (c) => {
      const body = await readBody(c, PayoutConfigSetupBody);
      if (!body.ok) {
        return body.error;
      }
      const result = await deps.setUpPayoutConfig.execute({ userId: c.var.user.id, ...body.value });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      c.var.log.info(
        { payoutConfigId: result.value.id, businessId: result.value.businessId },
        "payout config set up",
      );
      return c.json({ payoutConfig: presentPayoutConfig(result.value) }, 201);
    })
    .get("/api/payout-config", async (c) => {
      const query = readParams(c, v.object({ businessId: v.optional(idParam) }), {
        businessId: c.req.query("businessId"),
      });
      if (!query.ok) {
        return query.error;
      }
      const { businessId } = query.value;
      const result = await deps.getPayoutConfig.execute({
        userId: c.var.user.id,
        ...(businessId === undefined ? {} : { businessId }),
      });
      return result.ok
        ? c.json({ payoutConfig: presentPayoutConfig(result.value) })
        : problemResponse(c, problemFor(result.error));
    })
    .patch("/api/payout-config", async (c) => {
      const body = await readBody(c, PayoutLimitsBody);
      if (!body.ok) {
        return body.error;
      }
      const { businessId, dailyLimit, perPayoutLimit } = body.value;
      const result = await deps.changePayoutLimits.execute({
        userId: c.var.user.id,
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
    })
    .get("/api/businesses/:businessId/payouts", async (c) => {
      const query = readParams(
        c,
        v.pipe(
          v.object({
            businessId: idParam,
            status: v.optional(v.picklist(PAYOUT_STATUSES, `must be one of ${PAYOUT_STATUSES.join(", ")}`)),
            from: v.optional(fromQuery),
            to: v.optional(toQuery),
          }),
          v.forward(
            v.check(
              ({ from, to }) => from === undefined || to === undefined || from < to,
              "must not be before from",
            ),
            ["to"],
          ),
        ),
        {
          businessId: c.req.param("businessId"),
          status: c.req.query("status"),
          from: c.req.query("from"),
          to: c.req.query("to"),
        },
      );
      if (!query.ok) {
        return query.error;
      }
      const page = readPage(c);
      if (!page.ok) {
        return page.error;
      }
      const { businessId, status, from, to } = query.value;
      const result = await deps.listPayouts.execute({
        userId: c.var.user.id,
        businessId,
        filter: {
          ...(status === undefined ? {} : { status }),
          ...(from === undefined ? {} : { createdFrom: from }),
          ...(to === undefined ? {} : { createdBefore: to }),
        },
        page: page.value,
      });
      return result.ok
        ? c.json({ payouts: result.value.items.map(presentPayout), nextCursor: result.value.nextCursor })
        : problemResponse(c, problemFor(result.error));
    })
    .post("/api/payouts", deps.idempotent("POST /api/payouts"), async (c) => {
      const body = await readBody(c, PayoutBody);
      if (!body.ok) {
        return body.error;
      }
      const result = await deps.initiatePayout.execute({ userId: c.var.user.id, ...body.value });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      c.var.log.info({ payoutId: result.value.id, status: result.value.status }, "payout initiated");
      return c.json({ payout: presentPayout(result.value) }, 202);
    })
    .get("/api/payouts/:payoutId", async (c) => {
      const params = readParams(c, v.object({ payoutId: idParam }), c.req.param());
      if (!params.ok) {
        return params.error;
      }
      const result = await deps.getPayout.execute({ userId: c.var.user.id, payoutId: params.value.payoutId });
      return result.ok
        ? c.json({ payout: presentPayout(result.value) })
        : problemResponse(c, problemFor(result.error));
    })
    .get("/api/payouts/:payoutId/events", async (c) => {
      const params = readParams(c, v.object({ payoutId: idParam }), c.req.param());
      if (!params.ok) {
        return params.error;
      }
      const result = await deps.getPayoutStory.execute({
        userId: c.var.user.id,
        payoutId: params.value.payoutId,
      });
      return result.ok
        ? c.json({
            payout: presentPayout(result.value.payout),
            events: result.value.entries.map(presentPayoutStoryEntry),
          })
        : problemResponse(c, problemFor(result.error));
    });
}
