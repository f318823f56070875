import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import type { GetPayout } from "../../../application/payouts/get-payout.ts";
import type { GetPayoutConfig } from "../../../application/payouts/get-payout-config.ts";
import type { InitiatePayout } from "../../../application/payouts/initiate-payout.ts";
import type { ListPayouts } from "../../../application/payouts/list-payouts.ts";
import { may } from "../../../application/shared/authorize.ts";
import { validateAll } from "../../../domain/invalid-value.ts";
import { Kes } from "../../../domain/kes.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { PayoutRemarks } from "../../../domain/payout-remarks.ts";
import { ok } from "../../../domain/result.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { chooseBusiness, isId } from "../choose-business.ts";
import { BalancePanel } from "../components/lookup-panels.tsx";
import { type FormState, failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import type { OncePerForm } from "../once-per-form.ts";
import { formDoc, htmlPageDoc } from "../page-docs.ts";
import { PAYOUT_LABELS, PayoutsPage, type PayoutToConfirm } from "../pages/payouts-page.tsx";
import { memberBusinessId, notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";
import { askedBalance, type LookupPageDependencies } from "./lookup-pages.tsx";

export type PayoutPageDependencies = Pick<LookupPageDependencies, "checkBalance" | "getLookupQuery"> & {
  readonly getAccount: GetAccount;
  readonly getPayoutConfig: GetPayoutConfig;
  readonly listPayouts: ListPayouts;
  readonly getPayout: GetPayout;
  readonly initiatePayout: InitiatePayout;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
  readonly oncePerForm: OncePerForm;
};

const PAGE_SIZE = 25;

/** The payout form, read as the API reads its body. */
function payoutFrom(form: FormValues) {
  const remarks = form.optional("remarks");
  return validateAll({
    phone: Msisdn.parse(form.text("phone")),
    amount: Kes.forPayout(form.number("amount")),
    remarks: remarks === undefined ? ok(null) : PayoutRemarks.parse(remarks),
  });
}

/** `/payouts`: the payout account, sending money (checked, then confirmed), and the payouts sent. */
export function payoutPages(deps: PayoutPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  const signedInForm = [deps.sameOrigin, deps.guard.page, deps.guard.formToken] as const;

  const render = async (
    c: Context<WebEnv>,
    requested: string | undefined,
    extra: { form?: FormState; confirm?: PayoutToConfirm; payoutId?: string; after?: string } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const session = c.var.session;
    const businesses = (await deps.getAccount.execute(session.user)).businesses.map((m) => m.business);
    const business = chooseBusiness(businesses, requested);
    if (business === undefined) {
      return notYourBusiness(c);
    }
    if (!may(session.actor, "payouts:read", business.id)) {
      return notAllowed(c, "see payouts");
    }
    const owner = may(session.actor, "configs:manage", business.id);
    const [config, payouts, sent] = await Promise.all([
      owner
        ? deps.getPayoutConfig.execute({
            access: webAccess(session, "configs:manage"),
            businessId: business.id,
          })
        : Promise.resolve(null),
      deps.listPayouts.execute({
        access: webAccess(session, "payouts:read"),
        businessId: business.id,
        filter: {},
        page: { limit: PAGE_SIZE, cursor: isId(extra.after) ? extra.after : null },
      }),
      isId(extra.payoutId)
        ? deps.getPayout.execute({ access: webAccess(session, "payouts:read"), payoutId: extra.payoutId })
        : Promise.resolve(null),
    ]);
    const next = payouts.ok ? payouts.value.nextCursor : null;
    // The till's balance (the payment config's shortcode), for those who may look it up: asked only by its button.
    const balance = may(session.actor, "transactions:read", business.id)
      ? await askedBalance(deps, webAccess(session, "transactions:read"), business.id, c.req.query())
      : null;
    return htmlPage(
      c,
      <PayoutsPage
        session={session}
        businesses={businesses}
        business={business}
        config={config?.ok === true ? config.value : null}
        canSend={may(session.actor, "payouts:write", business.id)}
        payouts={payouts.ok ? payouts.value.items : []}
        olderHref={
          next === null ? null : `/payouts?business=${encodeURIComponent(business.id)}&after=${next}`
        }
        form={extra.form}
        confirm={extra.confirm}
        sent={sent?.ok === true && sent.value.businessId === business.id ? sent.value : null}
        balanceSlot={
          balance === null ? null : (
            <BalancePanel businessId={business.id} action="/payouts" asked={balance} />
          )
        }
      />,
      status,
    );
  };

  pages.get(
    "/payouts",
    htmlPageDoc("Payouts", "The payout account and its limits, sending money, and the payouts sent."),
    deps.guard.page,
    (c) =>
      render(c, c.req.query("business"), { payoutId: c.req.query("payout"), after: c.req.query("after") }),
  );

  pages.post(
    "/payouts/confirm",
    formDoc("Check a payout", "Checks the amount and the phone, and asks to confirm them; sends nothing."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      if (!may(c.var.session.actor, "payouts:write", businessId)) {
        return notAllowed(c, "send payouts");
      }
      const parsed = payoutFrom(form);
      if (!parsed.ok) {
        const problem = problemFor(parsed.error);
        return render(
          c,
          businessId,
          { form: failedForm(form.echo(), problem, PAYOUT_LABELS) },
          problem.status,
        );
      }
      return render(c, businessId, {
        confirm: {
          phone: parsed.value.phone.value,
          amount: parsed.value.amount.value,
          remarks: parsed.value.remarks?.value ?? "",
        },
      });
    },
  );

  pages.post(
    "/payouts/send",
    formDoc("Send a payout", "Sends the confirmed payout by M-Pesa B2C."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      if (!may(c.var.session.actor, "payouts:write", businessId)) {
        return notAllowed(c, "send payouts");
      }
      const here = `/payouts?business=${encodeURIComponent(businessId)}`;
      return deps.oncePerForm.run(
        c,
        { userId: c.var.session.user.id, route: "POST /payouts/send", whileRunning: here },
        form,
        async () => {
          const parsed = payoutFrom(form);
          const result = parsed.ok
            ? await deps.initiatePayout.execute({
                access: webAccess(c.var.session, "payouts:write"),
                businessId,
                ...parsed.value,
              })
            : parsed;
          if (!result.ok) {
            const problem = problemFor(result.error);
            return render(
              c,
              businessId,
              { form: failedForm(form.echo(), problem, PAYOUT_LABELS) },
              problem.status,
            );
          }
          c.var.log.info({ businessId, payoutId: result.value.id }, "payout sent from the browser");
          return c.redirect(`${here}&payout=${result.value.id}`, 303);
        },
      );
    },
  );

  return pages;
}
