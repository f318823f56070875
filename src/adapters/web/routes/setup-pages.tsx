import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import { SETUP_URL } from "../../../application/accounts/setup-status.ts";
import type {
  ConfigWithVerification,
  GetPaymentConfig,
} from "../../../application/payment-configs/get-payment-config.ts";
import type { SetUpPaymentConfig } from "../../../application/payment-configs/set-up-payment-config.ts";
import type { VerifyPaymentConfig } from "../../../application/payment-configs/verify-payment-config.ts";
import type { Business } from "../../../domain/business.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { type Problem, problemResponse } from "../../http/problem.ts";
import { fieldErrors, validationProblem } from "../../http/request-body.ts";
import { PaymentConfigSetupFields } from "../../http/routes/payment-config-routes.ts";
import { chooseBusiness } from "../choose-business.ts";
import { EMPTY_FORM, type FormState, failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import type { OncePerForm } from "../once-per-form.ts";
import { formDoc, htmlPageDoc, statusDoc } from "../page-docs.ts";
import { SETUP_LABELS, SetupPage, VERIFY_LABELS } from "../pages/setup-page.tsx";
import { describePayment } from "../payment-status.ts";
import { abilitiesIn, memberBusinessId, notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type SetupPageDependencies = {
  readonly getAccount: GetAccount;
  readonly getPaymentConfig: GetPaymentConfig;
  readonly setUpPaymentConfig: SetUpPaymentConfig;
  readonly verifyPaymentConfig: VerifyPaymentConfig;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
  readonly oncePerForm: OncePerForm;
};

/** Secrets a refused form never shows again. */
const SECRET_FIELDS = ["passkey", "consumerKey", "consumerSecret"];

/** `/setup/payment-method` (the seed's setupUrl): save a Till or Paybill, then prove it with a KES 1 push. */
export function setupPages(deps: SetupPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  const signedInForm = [deps.sameOrigin, deps.guard.page, deps.guard.formToken] as const;

  const render = async (
    c: Context<WebEnv>,
    businessId: string | undefined,
    forms: { setup?: FormState; verify?: FormState; editing?: boolean } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const { session } = c.var;
    const account = await deps.getAccount.execute(session.user);
    const businesses = account.businesses.map((m) => m.business);
    const business = chooseBusiness(businesses, businessId);
    if (business === undefined) {
      return notYourBusiness(c);
    }
    if (!abilitiesIn(session, business.id).configs) {
      return notAllowed(c, "see or change the payment method");
    }
    const current = await currentConfig(business);
    return htmlPage(
      c,
      <SetupPage
        session={session}
        businesses={businesses}
        business={business}
        current={current}
        setupForm={forms.setup ?? EMPTY_FORM}
        verifyForm={forms.verify ?? EMPTY_FORM}
        editing={forms.editing ?? false}
      />,
      status,
    );

    async function currentConfig(of: Business): Promise<ConfigWithVerification | null> {
      const found = await deps.getPaymentConfig.execute({
        access: webAccess(session, "configs:manage"),
        businessId: of.id,
      });
      return found.ok ? found.value : null;
    }
  };

  pages.get(
    SETUP_URL,
    htmlPageDoc("Set up a Till or Paybill", "Step 1: the payment method; step 2: a KES 1 test."),
    deps.guard.page,
    (c) => render(c, c.req.query("business")),
  );

  pages.post(
    SETUP_URL,
    formDoc("Save the payment method", "Stores the config; the passkey is sealed."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      if (!abilitiesIn(c.var.session, businessId).configs) {
        return notAllowed(c, "change the payment method");
      }
      const paymentMethod = form.text("paymentMethod");
      const fields = v.safeParse(PaymentConfigSetupFields, {
        paymentMethod,
        shortcode: form.text("shortcode"),
        storeNumber: form.optional("storeNumber"),
        accountReference: form.optional("accountReference"),
        accountName: form.text("accountName"),
        passkey: form.text("passkey"),
        consumerKey: form.optional("consumerKey"),
        consumerSecret: form.optional("consumerSecret"),
      });
      const refuse = (problem: Problem) => {
        const labels = {
          ...SETUP_LABELS,
          shortcode: paymentMethod === "paybill" ? "Paybill number" : "Till number",
        };
        const setup = failedForm(form.echo(SECRET_FIELDS), problem, labels);
        return render(c, businessId, { setup, editing: true }, problem.status);
      };
      if (!fields.success) {
        return refuse(validationProblem(fieldErrors(fields.issues)));
      }
      const result = await deps.setUpPaymentConfig.execute({
        access: webAccess(c.var.session, "configs:manage"),
        businessId,
        ...fields.output,
      });
      if (!result.ok) {
        return refuse(problemFor(result.error));
      }
      c.var.log.info({ businessId, configId: result.value.id }, "payment config set up in the browser");
      return c.redirect(`${SETUP_URL}?business=${encodeURIComponent(businessId)}#step-2`, 303);
    },
  );

  pages.post(
    `${SETUP_URL}/verify`,
    formDoc("Send the KES 1 test", "Pushes KES 1 to the owner's phone."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      if (!abilitiesIn(c.var.session, businessId).configs) {
        return notAllowed(c, "change the payment method");
      }
      const here = `${SETUP_URL}?business=${encodeURIComponent(businessId)}`;
      const userId = c.var.session.user.id;
      return deps.oncePerForm.run(
        c,
        { userId, route: "POST /setup/payment-method/verify", whileRunning: here },
        form,
        async () => {
          const phone = Msisdn.parse(form.text("phone"));
          const result = phone.ok
            ? await deps.verifyPaymentConfig.execute({
                access: webAccess(c.var.session, "configs:manage"),
                businessId,
                phone: phone.value,
              })
            : phone;
          if (!result.ok) {
            const problem = problemFor(result.error);
            const verify = failedForm(form.echo(), problem, VERIFY_LABELS);
            const hint =
              problem.code === "gateway_rejected"
                ? " Check the numbers and the passkey in step 1: M-Pesa refuses a push when they do not match."
                : "";
            return render(
              c,
              businessId,
              { verify: { ...verify, formError: `${verify.formError ?? ""}${hint}` || null } },
              problem.status,
            );
          }
          return c.redirect(`${here}#step-2`, 303);
        },
      );
    },
  );

  pages.get(
    `${SETUP_URL}/status`,
    statusDoc("Status of the KES 1 test"),
    deps.guard.statusEndpoint,
    async (c) => {
      const businessId = memberBusinessId(c.var.session, c.req.query("business"));
      const found =
        businessId === undefined
          ? null
          : await deps.getPaymentConfig.execute({
              access: webAccess(c.var.session, "configs:manage"),
              businessId,
            });
      const verification = found?.ok === true ? found.value.lastVerification : null;
      if (found === null || !found.ok || verification === null) {
        return problemResponse(c, {
          status: 404,
          code: "not_found",
          title: "Not found",
          detail: "No test payment for this business yet.",
        });
      }
      return c.json({
        ...describePayment(verification, "verification"),
        verified: found.value.config.verified,
      });
    },
  );

  return pages;
}
