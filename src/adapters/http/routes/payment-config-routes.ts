import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetPaymentConfig } from "../../../application/payment-configs/get-payment-config.ts";
import type { SetUpPaymentConfig } from "../../../application/payment-configs/set-up-payment-config.ts";
import type { VerifyPaymentConfig } from "../../../application/payment-configs/verify-payment-config.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { presentPaymentConfig, presentVerification } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { readBody, readParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

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
  phone: v.pipe(
    v.string("is required: the phone that gets the KES 1 test prompt"),
    v.check((phone) => Msisdn.parse(phone).ok, "must be a Kenyan mobile number such as 0712345678"),
  ),
});

/** `/api/payment-config`: a business's Till or Paybill, and proving it works with a KES 1 push. */
export function paymentConfigRoutes(deps: {
  readonly setUpPaymentConfig: SetUpPaymentConfig;
  readonly getPaymentConfig: GetPaymentConfig;
  readonly verifyPaymentConfig: VerifyPaymentConfig;
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post("/api/payment-config/setup", async (c) => {
      const body = await readBody(c, PaymentConfigSetupBody);
      if (!body.ok) {
        return body.error;
      }
      const { businessId, ...fields } = body.value;
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
      return c.json({ config: presentPaymentConfig({ config: result.value, lastVerification: null }) }, 201);
    })
    .get("/api/payment-config", async (c) => {
      const query = readParams(c, v.object({ businessId: v.optional(idParam) }), {
        businessId: c.req.query("businessId"),
      });
      if (!query.ok) {
        return query.error;
      }
      const result = await deps.getPaymentConfig.execute({
        userId: c.var.user.id,
        ...(query.value.businessId === undefined ? {} : { businessId: query.value.businessId }),
      });
      return result.ok
        ? c.json({ config: presentPaymentConfig(result.value) })
        : problemResponse(c, problemFor(result.error));
    })
    .post("/api/payment-config/verify", deps.idempotent("POST /api/payment-config/verify"), async (c) => {
      const body = await readBody(c, VerifyBody);
      if (!body.ok) {
        return body.error;
      }
      const { businessId, phone } = body.value;
      const result = await deps.verifyPaymentConfig.execute({
        userId: c.var.user.id,
        phone,
        ...(businessId === undefined ? {} : { businessId }),
      });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      return c.json({ verification: presentVerification(result.value) }, 202);
    });
}
