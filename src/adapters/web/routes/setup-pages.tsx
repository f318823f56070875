import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
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
import { problemResponse } from "../../http/problem.ts";
import { chooseBusiness } from "../choose-business.ts";
import { EMPTY_FORM, type FormState, failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import type { OncePerForm } from "../once-per-form.ts";
import { ownedBusinessId } from "../owned-business-id.ts";
import { formDoc, htmlPageDoc, statusDoc } from "../page-docs.ts";
import { SETUP_LABELS, SetupPage, VERIFY_LABELS } from "../pages/setup-page.tsx";
import { describePayment } from "../payment-status.ts";
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
    const { businesses } = await deps.getAccount.execute(session.user);
    const business = chooseBusiness(businesses, businessId);
    if (business === undefined) {
      return notYourBusiness(c);
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
      const found = await deps.getPaymentConfig.execute({ userId: session.user.id, businessId: of.id });
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
      const businessId = await ownedBusinessId(deps.getAccount, c.var.session.user, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      const paymentMethod = form.text("paymentMethod");
      const result = await deps.setUpPaymentConfig.execute({
        userId: c.var.session.user.id,
        businessId,
        paymentMethod,
        shortcode: form.text("shortcode").trim(),
        storeNumber: form.optional("storeNumber"),
        accountReference: form.optional("accountReference"),
        accountName: form.text("accountName"),
        passkey: form.text("passkey"),
        consumerKey: form.optional("consumerKey"),
        consumerSecret: form.optional("consumerSecret"),
      });
      if (!result.ok) {
        const labels = {
          ...SETUP_LABELS,
          shortcode: paymentMethod === "paybill" ? "Paybill number" : "Till number",
        };
        const problem = problemFor(result.error);
        const setup = failedForm(form.echo(SECRET_FIELDS), problem, labels);
        return render(c, businessId, { setup, editing: true }, problem.status);
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
      const businessId = await ownedBusinessId(deps.getAccount, c.var.session.user, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
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
            ? await deps.verifyPaymentConfig.execute({ userId, businessId, phone: phone.value })
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
      const businessId = await ownedBusinessId(deps.getAccount, c.var.session.user, c.req.query("business"));
      const found =
        businessId === undefined
          ? null
          : await deps.getPaymentConfig.execute({ userId: c.var.session.user.id, businessId });
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
