import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { InitiateRefund } from "../../../application/refunds/initiate-refund.ts";
import type { ListRefundsOfReceipt } from "../../../application/refunds/list-refunds-of-receipt.ts";
import type { GetSale } from "../../../application/sales/get-sale.ts";
import { may } from "../../../application/shared/authorize.ts";
import { Kes } from "../../../domain/kes.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { isId } from "../choose-business.ts";
import { Layout } from "../components/layout.tsx";
import { REFUND_LABELS, RefundPanel } from "../components/refund-panel.tsx";
import { EMPTY_FORM, type FormState, failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import type { OncePerForm } from "../once-per-form.ts";
import { formDoc, htmlPageDoc } from "../page-docs.ts";
import { notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type RefundPageDependencies = {
  readonly getSale: GetSale;
  readonly initiateRefund: InitiateRefund;
  readonly listRefundsOfReceipt: ListRefundsOfReceipt;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
  readonly oncePerForm: OncePerForm;
};

/** How often a page with a pending refund reloads itself, without script. */
const REFRESH_SECONDS = 5;

/**
 * `/dashboard/sales/:id/refund`: a sale's refunds with their status, and the "Refund" form (owners and managers).
 * Its own page, linked from the dashboard's sale lines, so that the dashboard's layout stays its own.
 */
export function refundPages(deps: RefundPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();

  const render = async (
    c: Context<WebEnv>,
    saleId: string,
    form: FormState = EMPTY_FORM,
    status: ContentfulStatusCode = 200,
  ) => {
    const { session } = c.var;
    const found = isId(saleId)
      ? await deps.getSale.execute({ access: webAccess(session, "sales:read"), saleId })
      : null;
    if (found?.ok !== true) {
      return notYourBusiness(c);
    }
    const refunds = await deps.listRefundsOfReceipt.execute({
      businessId: found.value.businessId,
      receipt: found.value.mpesaReceipt,
    });
    // The sale is read again after its refunds: a refund completes in the same commit that adds its amount to the
    // sale, so the page never shows a completed refund that the sale's "refunded" leaves out (read before it, the
    // sale could miss a refund that completed in between, and with nothing pending the page would not reload).
    const again = await deps.getSale.execute({ access: webAccess(session, "sales:read"), saleId });
    const sale = again.ok ? again.value : found.value;
    const pending = refunds.some((refund) => refund.status === "pending");
    return htmlPage(
      c,
      <Layout
        title={`Refunds of sale ${sale.reference.value}`}
        session={session}
        businessId={sale.businessId}
        refreshSeconds={pending ? REFRESH_SECONDS : undefined}
      >
        <p>
          <a href={`/dashboard?business=${encodeURIComponent(sale.businessId)}&sale=${sale.id}#charge`}>
            Back to the dashboard
          </a>
        </p>
        <RefundPanel
          sale={sale}
          refunds={refunds}
          form={form}
          session={session}
          mayRefund={may(session.actor, "refunds:write", sale.businessId)}
        />
      </Layout>,
      status,
    );
  };

  pages.get(
    "/dashboard/sales/:id/refund",
    htmlPageDoc("Refunds of a sale", "A sale's refunds with their status, and the Refund form."),
    deps.guard.page,
    (c) => render(c, c.req.param("id")),
  );

  pages.post(
    "/dashboard/sales/:id/refund",
    formDoc("Refund a sale", "Refunds all of a paid sale (a reversal) or part of it (by B2C)."),
    deps.sameOrigin,
    deps.guard.page,
    deps.guard.formToken,
    async (c) => {
      const saleId = c.req.param("id");
      const { session } = c.var;
      if (!isId(saleId)) {
        return notYourBusiness(c);
      }
      const form = await FormValues.of(c);
      const page = `/dashboard/sales/${saleId}/refund#refunds`;
      return deps.oncePerForm.run(
        c,
        { userId: session.user.id, route: "POST /dashboard/sales/:id/refund", whileRunning: page },
        form,
        async () => {
          const typed = form.text("amount").trim().replace(/,/g, "");
          const amount = typed === "" ? null : Kes.of(/^\d+$/.test(typed) ? Number(typed) : typed);
          if (amount !== null && (!amount.ok || amount.value.value < 1)) {
            return render(
              c,
              saleId,
              {
                values: form.echo(),
                fieldErrors: { amount: "Amount must be a whole number of shillings, 1 or more." },
                formError: "Please correct the fields marked below.",
              },
              400,
            );
          }
          const reason = form.text("reason").trim();
          const result = await deps.initiateRefund.execute({
            access: webAccess(session, "refunds:write"),
            target: { kind: "sale", id: saleId },
            amount: amount === null ? null : amount.value,
            reason: reason === "" ? null : reason.slice(0, 200),
            // Checked: the default (a full refund restocks, a partial one cannot); unchecked: never.
            restock: form.text("restock") === "true" ? null : false,
          });
          if (!result.ok) {
            if (result.error.type === "forbidden") {
              return notAllowed(c, "refund sales");
            }
            if (result.error.type === "not_found") {
              return notYourBusiness(c);
            }
            const problem = problemFor(result.error);
            return render(c, saleId, failedForm(form.echo(), problem, REFUND_LABELS), problem.status);
          }
          c.var.log.info({ saleId, refundId: result.value.id }, "refund asked for in the browser");
          return c.redirect(page, 303);
        },
      );
    },
  );

  return pages;
}
