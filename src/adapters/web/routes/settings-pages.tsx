import { Hono } from "hono";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import { chooseBusiness } from "../choose-business.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import { htmlPageDoc } from "../page-docs.ts";
import { SettingsPage } from "../pages/settings-page.tsx";
import { abilitiesIn } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type SettingsPageDependencies = { readonly getAccount: GetAccount; readonly guard: WebSessionGuard };

/** `/settings`: the menu of the pages set up once (payment method, team, API keys, webhooks, wallet). */
export function settingsPages(deps: SettingsPageDependencies): Hono<WebEnv> {
  return new Hono<WebEnv>().get(
    "/settings",
    htmlPageDoc("Settings", "Links to the payment method, team, API keys, webhooks and wallet pages."),
    deps.guard.page,
    async (c) => {
      const session = c.var.session;
      const businesses = (await deps.getAccount.execute(session.user)).businesses.map((m) => m.business);
      const business = chooseBusiness(businesses, c.req.query("business"));
      if (business === undefined) {
        return notYourBusiness(c);
      }
      return htmlPage(
        c,
        <SettingsPage
          session={session}
          businesses={businesses}
          business={business}
          abilities={abilitiesIn(session, business.id)}
        />,
      );
    },
  );
}
