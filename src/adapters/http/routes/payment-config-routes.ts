import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetPaymentConfig } from "../../../application/payment-configs/get-payment-config.ts";
import type { SetUpPaymentConfig } from "../../../application/payment-configs/set-up-payment-config.ts";
import type { VerifyPaymentConfig } from "../../../application/payment-configs/verify-payment-config.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { PaymentConfigSchema, VerificationSchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { presentPaymentConfig, presentVerification } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, queryParams } from "../request-body.ts";
import { idParam, msisdnField } from "../schemas.ts";

/** The seed's snake_case names, still accepted in the setup body. */
const ALIASES: Readonly<Record<string, string>> = {
  payment_method: "paymentMethod",
  account_reference: "accountReference",
  account_name: "accountName",
  business_id: "businessId",
  store_number: "storeNumber",
  consumer_key: "consumerKey",
  consumer_secret: "consumerSecret",
};

const digits = (path: string) =>
  v.union(
    [
      v.pipe(v.string(), v.regex(/^\d{5,7}$/)),
      v.pipe(v.number(), v.integer(), v.minValue(10_000), v.maxValue(9_999_999)),
    ],
    `must be 5 to 7 digits (the ${path})`,
  );

const optionalText = (max: number) =>
  v.optional(
    v.nullable(v.pipe(v.string("must be text"), v.maxLength(max, `must be at most ${max} characters`))),
  );

export const PaymentConfigSetupBody = v.pipe(
  v.record(v.string(), v.unknown()),
  v.transform((body) => {
    const normalised: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      const name = ALIASES[key] ?? key;
      if (!(name in normalised) || key === name) {
        normalised[name] = value;
      }
    }
    return normalised;
  }),
  v.object({
    businessId: v.optional(idParam),
    paymentMethod: v.picklist(["till", "paybill"], 'must be "till" or "paybill"'),
    shortcode: digits("till or paybill number"),
    storeNumber: v.optional(v.nullable(digits("store or head-office number"))),
    passkey: v.pipe(
      v.string("is required: the Lipa na M-Pesa Online passkey from the Daraja portal"),
      v.check((value) => value.trim() !== "", "must not be empty"),
      v.maxLength(512, "must be at most 512 characters"),
    ),
    accountReference: v.optional(
      v.nullable(
        v.pipe(
          v.string("must be text"),
          v.regex(/^[A-Za-z0-9]{1,12}$/, "must be 1 to 12 letters and digits"),
        ),
      ),
    ),
    accountName: v.pipe(
      v.string("is required: the name customers see"),
      v.check((value) => value.trim() !== "", "must not be empty"),
      v.maxLength(100, "must be at most 100 characters"),
    ),
    consumerKey: optionalText(512),
    consumerSecret: optionalText(512),
  }),
);

export const VerifyBody = v.object({
  businessId: v.optional(idParam),
  phone: msisdnField("The phone that gets the KES 1 test prompt."),
});

const ConfigQuery = v.object({ businessId: v.optional(idParam) });

/** `/api/payment-config`: a business's Till or Paybill, and proving it works with a KES 1 push. */
export function paymentConfigRoutes(deps: {
  readonly setUpPaymentConfig: SetUpPaymentConfig;
  readonly getPaymentConfig: GetPaymentConfig;
  readonly verifyPaymentConfig: VerifyPaymentConfig;
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post(
      "/api/payment-config/setup",
      routeDoc({
        tag: "Payment configuration",
        summary: "Register the business's Till or Paybill",
        description:
          "Replaces the active config (the old one stays, inactive). The passkey and consumer secret are sealed and never shown again. The seed's snake_case names are accepted too.",
        readsJson: true,
        success: {
          status: 201,
          description: "The new active config.",
          schema: v.object({ config: PaymentConfigSchema }),
        },
        problems: [404],
      }),
      jsonBody(PaymentConfigSetupBody),
      async (c) => {
        const { businessId, ...fields } = c.req.valid("json");
        const result = await deps.setUpPaymentConfig.execute({
          userId: c.var.user.id,
          ...(businessId === undefined ? {} : { businessId }),
          ...fields,
          shortcode: String(fields.shortcode),
          storeNumber:
            fields.storeNumber === undefined || fields.storeNumber === null
              ? undefined
              : String(fields.storeNumber),
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(
          { businessId: result.value.businessId, configId: result.value.id },
          "payment config set up",
        );
        return c.json(
          { config: presentPaymentConfig({ config: result.value, lastVerification: null }) },
          201,
        );
      },
    )
    .get(
      "/api/payment-config",
      routeDoc({
        tag: "Payment configuration",
        summary: "The business's active config and its last verification",
        query: [
          {
            name: "businessId",
            description: "Needed when you have more than one business.",
            schema: { type: "string", format: "uuid" },
          },
        ],
        success: {
          status: 200,
          description: "The config.",
          schema: v.object({ config: PaymentConfigSchema }),
        },
        problems: [400, 404],
      }),
      queryParams(ConfigQuery),
      async (c) => {
        const { businessId } = c.req.valid("query");
        const result = await deps.getPaymentConfig.execute({
          userId: c.var.user.id,
          ...(businessId === undefined ? {} : { businessId }),
        });
        return result.ok
          ? c.json({ config: presentPaymentConfig(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .post(
      "/api/payment-config/verify",
      routeDoc({
        tag: "Payment configuration",
        summary: "Verify the config with a KES 1 push",
        idempotent: true,
        readsJson: true,
        success: {
          status: 202,
          description:
            "Pushed (pushOutcome accepted), or Daraja's answer did not say whether the push started (pushOutcome unknown): pending either way; poll the config's lastVerification.",
          schema: v.object({ verification: VerificationSchema }),
        },
        problems: [404, 409, 422, 429, 502, 503],
      }),
      deps.idempotent("POST /api/payment-config/verify"),
      jsonBody(VerifyBody),
      async (c) => {
        const { businessId, phone } = c.req.valid("json");
        const result = await deps.verifyPaymentConfig.execute({
          userId: c.var.user.id,
          phone,
          ...(businessId === undefined ? {} : { businessId }),
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        return c.json({ verification: presentVerification(result.value) }, 202);
      },
    );
}
