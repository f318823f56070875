import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetPaymentConfig } from "../../../application/payment-configs/get-payment-config.ts";
import type { SetUpPaymentConfig } from "../../../application/payment-configs/set-up-payment-config.ts";
import type { VerifyPaymentConfig } from "../../../application/payment-configs/verify-payment-config.ts";
import { AccountName } from "../../../domain/account-name.ts";
import { AccountReference } from "../../../domain/account-reference.ts";
import { DarajaCredential } from "../../../domain/daraja-credential.ts";
import { InitiatorName } from "../../../domain/initiator-name.ts";
import { InitiatorPassword } from "../../../domain/initiator-password.ts";
import { PAYMENT_METHODS, PaymentConfig } from "../../../domain/payment-config.ts";
import { domainValue, mayBeLeftOut, withDomainRule } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { PaymentConfigSchema, VerificationSchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { presentPaymentConfig, presentVerification } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, queryParams } from "../request-body.ts";
import {
  CHOSEN_BUSINESS_QUERY_DOC,
  ChosenBusinessQuery,
  idParam,
  msisdnField,
  optionalShortcodeField,
  shortcodeField,
} from "../schemas.ts";

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

const credential = (path: string, description: string) =>
  domainValue((input) => DarajaCredential.parse(input, path), {
    type: "string",
    maxLength: DarajaCredential.MAX,
    description,
  });

/** The fields of a setup, each read by its value object's own parser; the API's body and the setup page share them. */
const SETUP_FIELDS = {
  paymentMethod: domainValue((input) => PaymentConfig.parseMethod(input), {
    type: "string",
    enum: [...PAYMENT_METHODS],
  }),
  shortcode: shortcodeField("shortcode", "The till or paybill number."),
  storeNumber: optionalShortcodeField(
    "storeNumber",
    "A till's store (head-office) number; the till itself when left out.",
  ),
  passkey: credential("passkey", "The Lipa na M-Pesa Online passkey from the Daraja portal."),
  accountReference: mayBeLeftOut((input) => AccountReference.parse(input), {
    type: "string",
    pattern: `^[A-Za-z0-9]{1,${AccountReference.MAX_LENGTH}}$`,
    description: "Required for a paybill.",
  }),
  accountName: domainValue((input) => AccountName.parse(input), {
    type: "string",
    maxLength: AccountName.MAX,
    description: "The name customers see.",
  }),
  consumerKey: mayBeLeftOut(
    (input) => DarajaCredential.parse(input, "consumerKey"),
    { type: "string", maxLength: DarajaCredential.MAX, description: "Your own Daraja app's consumer key." },
    true,
  ),
  consumerSecret: mayBeLeftOut(
    (input) => DarajaCredential.parse(input, "consumerSecret"),
    {
      type: "string",
      maxLength: DarajaCredential.MAX,
      description: "Your own Daraja app's consumer secret.",
    },
    true,
  ),
};

/** A business's own Daraja app: its consumer key and secret together, or neither. */
const withOwnAppRule = <S extends v.GenericSchema<unknown, OwnAppFields>>(schema: S) =>
  withDomainRule(schema, ["consumerKey", "consumerSecret"], (fields) =>
    PaymentConfig.pairOwnApp(fields.consumerKey, fields.consumerSecret),
  );
type OwnAppFields = { consumerKey: DarajaCredential | null; consumerSecret: DarajaCredential | null };

/** A setup's fields and the rule across them, for the setup page. */
export const PaymentConfigSetupFields = withOwnAppRule(v.object(SETUP_FIELDS));

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
  withDomainRule(
    withOwnAppRule(
      v.object({
        businessId: v.optional(idParam),
        ...SETUP_FIELDS,
        initiatorName: mayBeLeftOut(
          (input) => InitiatorName.parse(input),
          {
            type: "string",
            maxLength: InitiatorName.MAX,
            description:
              "The receiving shortcode's API operator (for Reversal, Transaction Status and Pull on it), with initiatorPassword.",
          },
          true,
        ),
        initiatorPassword: mayBeLeftOut(
          (input) => InitiatorPassword.parse(input),
          {
            type: "string",
            maxLength: InitiatorPassword.MAX,
            description: "That operator's password: sealed like the passkey, never shown again.",
          },
          true,
        ),
      }),
    ),
    ["initiatorName", "initiatorPassword"],
    (fields) => PaymentConfig.pairInitiator(fields.initiatorName, fields.initiatorPassword),
  ),
);

export const VerifyBody = v.object({
  businessId: v.optional(idParam),
  phone: msisdnField("The phone that gets the KES 1 test prompt."),
});

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
        permission: "configs:manage",
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
          access: c.var.access,
          ...(businessId === undefined ? {} : { businessId }),
          ...fields,
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
        permission: "configs:manage",
        query: CHOSEN_BUSINESS_QUERY_DOC,
        success: {
          status: 200,
          description: "The config.",
          schema: v.object({ config: PaymentConfigSchema }),
        },
        problems: [400, 404],
      }),
      queryParams(ChosenBusinessQuery),
      async (c) => {
        const { businessId } = c.req.valid("query");
        const result = await deps.getPaymentConfig.execute({
          access: c.var.access,
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
        permission: "configs:manage",
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
          access: c.var.access,
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
