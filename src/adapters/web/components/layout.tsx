import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import { may } from "../../../application/shared/authorize.ts";
import type { Permission } from "../../../application/shared/permissions.ts";
import { CLIENT_SCRIPT } from "../assets/client-script.ts";
import { STYLES } from "../assets/styles.ts";
import type { WebSession } from "../web-env.ts";
import { CsrfField } from "./csrf-field.tsx";

export type LayoutProps = {
  readonly title: string;
  /** The signed-in browser, for the navigation and the CSRF token; absent on the sign-in pages. */
  readonly session?: WebSession | undefined;
  /** The business the page is about, carried in the navigation links. */
  readonly businessId?: string | undefined;
  /** Without script, a page that waits for a payment reloads itself every few seconds. */
  readonly refreshSeconds?: number | undefined;
  readonly children?: Child;
};

/** Whether the navigation offers a page: the user may do its action in the page's business (or, with none, anywhere). */
const allowed = (session: WebSession, permission: Permission, businessId: string | undefined) =>
  may(session.actor, permission, businessId ?? null);

/** Every page's frame: a small head (inline CSS and script), the top bar and one narrow column. */
export const Layout: FC<LayoutProps> = ({ title, session, businessId, refreshSeconds, children }) => {
  const query = businessId === undefined ? "" : `?business=${encodeURIComponent(businessId)}`;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · PayMe`}</title>
          <link rel="icon" href="data:," />
          {session === undefined ? null : <meta name="csrf-token" content={session.csrfToken} />}
          {refreshSeconds === undefined ? null : (
            <noscript>
              <meta http-equiv="refresh" content={String(refreshSeconds)} />
            </noscript>
          )}
          <style>{raw(STYLES)}</style>
        </head>
        <body>
          <header class="bar">
            <a class="brand" href={session === undefined ? "/sign-in" : `/dashboard${query}`}>
              PayMe
            </a>
            {session === undefined ? (
              <nav aria-label="Account">
                <a href="/sign-in">Sign in</a>
                <a href="/sign-up">Sign up</a>
              </nav>
            ) : (
              <nav aria-label="Main">
                <a href={`/dashboard${query}`}>Dashboard</a>
                {allowed(session, "configs:manage", businessId) ? (
                  <a href={`/setup/payment-method${query}`}>Payment method</a>
                ) : null}
                {allowed(session, "members:manage", businessId) ? <a href={`/team${query}`}>Team</a> : null}
                {allowed(session, "api-keys:manage", businessId) ? (
                  <a href={`/api-keys${query}`}>API keys</a>
                ) : null}
                {allowed(session, "transactions:read", businessId) ? (
                  <a href={`/dashboard/till${query}`}>Till</a>
                ) : null}
                {allowed(session, "webhooks:write", businessId) ? (
                  <a href={`/dashboard/webhooks${query}`}>Webhooks</a>
                ) : null}
                <form method="post" action="/sign-out">
                  <CsrfField session={session} />
                  <button type="submit" class="linkish">
                    Sign out
                  </button>
                </form>
              </nav>
            )}
          </header>
          <main>{children}</main>
          <script>{raw(CLIENT_SCRIPT)}</script>
        </body>
      </html>
    </>
  );
};
