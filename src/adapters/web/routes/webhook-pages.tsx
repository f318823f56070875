import { Hono, type MiddlewareHandler } from "hono";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import type { ListEvents } from "../../../application/webhooks/list-events.ts";
import type { ListWebhookEndpoints } from "../../../application/webhooks/list-webhook-endpoints.ts";
import type { RedeliverEvent } from "../../../application/webhooks/redeliver-event.ts";
import { chooseBusiness, isId } from "../choose-business.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import { formDoc, htmlPageDoc } from "../page-docs.ts";
import { WebhooksPage } from "../pages/webhooks-page.tsx";
import { abilitiesIn, memberBusinessId, notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type WebhookPageDependencies = {
  readonly getAccount: GetAccount;
  readonly listWebhookEndpoints: ListWebhookEndpoints;
  readonly listEvents: ListEvents;
  readonly redeliverEvent: RedeliverEvent;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
};

const EVENTS_SHOWN = 25;

/** `/dashboard/webhooks`: the business's endpoints and their health, the event log, and resending an event. */
export function webhookPages(deps: WebhookPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();

  pages.get(
    "/dashboard/webhooks",
    htmlPageDoc("Webhooks", "Endpoints with their last delivery and disabled reason, and the event log."),
    deps.guard.page,
    async (c) => {
      const { session } = c.var;
      const account = await deps.getAccount.execute(session.user);
      const businesses = account.businesses.map((m) => m.business);
      const business = chooseBusiness(businesses, c.req.query("business"));
      if (business === undefined) {
        return notYourBusiness(c);
      }
      if (!abilitiesIn(session, business.id).webhooks) {
        return notAllowed(c, "see or change webhooks");
      }
      const [endpoints, events] = await Promise.all([
        deps.listWebhookEndpoints.execute({
          access: webAccess(session, "webhooks:write"),
          businessId: business.id,
        }),
        deps.listEvents.execute({
          access: webAccess(session, "events:read"),
          businessId: business.id,
          page: { limit: EVENTS_SHOWN, cursor: null },
        }),
      ]);
      const resent = c.req.query("resent");
      return htmlPage(
        c,
        <WebhooksPage
          session={session}
          businesses={businesses}
          business={business}
          endpoints={endpoints.ok ? endpoints.value : []}
          events={events.ok ? events.value.items : []}
          notice={
            resent === undefined
              ? null
              : resent === "0"
                ? "No enabled endpoint takes this event: nothing was queued."
                : `Queued again for ${resent} endpoint(s).`
          }
        />,
      );
    },
  );

  pages.post(
    "/dashboard/webhooks/events/:id/resend",
    formDoc("Resend an event", "Queues the event again for every enabled endpoint that takes it."),
    deps.sameOrigin,
    deps.guard.page,
    deps.guard.formToken,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      const eventId = c.req.param("id");
      if (businessId === undefined || !isId(eventId)) {
        return notYourBusiness(c);
      }
      const result = await deps.redeliverEvent.execute({
        access: webAccess(c.var.session, "webhooks:write"),
        eventId,
      });
      if (!result.ok) {
        return result.error.type === "forbidden" ? notAllowed(c, "resend events") : notYourBusiness(c);
      }
      c.var.log.info({ businessId, eventId }, "event resent from the dashboard");
      return c.redirect(
        `/dashboard/webhooks?business=${encodeURIComponent(businessId)}&resent=${result.value.endpointIds.length}#events`,
        303,
      );
    },
  );

  return pages;
}
