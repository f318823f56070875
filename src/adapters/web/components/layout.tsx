import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import { may } from "../../../application/shared/authorize.ts";
import type { Permission } from "../../../application/shared/permissions.ts";
import { CLIENT_SCRIPT } from "../assets/client-script.ts";
import { STYLES } from "../assets/styles.ts";
import type { WebSession } from "../web-env.ts";
import { BusinessSwitcher, type SwitcherProps } from "./business-switcher.tsx";
import { CsrfField } from "./csrf-field.tsx";

export type LayoutProps = {
  readonly title: string;
  /** The signed-in browser, for the navigation and the CSRF token; absent on the sign-in pages. */
  readonly session?: WebSession | undefined;
  /** The business the page is about, carried in the navigation links. */
  readonly businessId?: string | undefined;
  /** Without script, a page that waits for a payment reloads itself every few seconds. */
  readonly refreshSeconds?: number | undefined;
  /** For a user of several businesses: the switcher in the bar, posting to `action` (the page's own path). */
  readonly switcher?: SwitcherProps | undefined;
  /** Which navigation entry the page belongs to (marked aria-current). */
  readonly section?: NavSection | undefined;
  /** A page for the public (a receipt): no navigation, not indexed. */
  readonly bare?: boolean;
  readonly children?: Child;
};

export type NavSection = "dashboard" | "sales" | "products" | "payouts" | "settings";

/** Whether the navigation offers a page: the user may do its action in the page's business (or, with none, anywhere). */
const allowed = (session: WebSession, permission: Permission, businessId: string | undefined) =>
  may(session.actor, permission, businessId ?? null);

/**
 * Every page's frame: a small head (inline CSS and script), the top bar with the navigation (Dashboard, Sales,
 * Products, Payouts, Settings, each offered only when the user's role allows it) and the business switcher, and
 * the page, as wide as a laptop allows.
 */
export const Layout: FC<LayoutProps> = ({
  title,
  session,
  businessId,
  refreshSeconds,
  switcher,
  section,
  bare,
  children,
}) => {
  const query = businessId === undefined ? "" : `?business=${encodeURIComponent(businessId)}`;
  const entry = (name: NavSection, href: string, text: string) => (
    <a href={`${href}${query}`} aria-current={section === name ? "page" : undefined}>
      {text}
    </a>
  );
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
          {bare === true ? <meta name="robots" content="noindex, nofollow" /> : null}
          {refreshSeconds === undefined ? null : (
            <noscript>
              <meta http-equiv="refresh" content={String(refreshSeconds)} />
            </noscript>
          )}
          <style>{raw(STYLES)}</style>
        </head>
        <body>
          {bare === true ? null : (
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
                  {entry("dashboard", "/dashboard", "Dashboard")}
                  {allowed(session, "sales:read", businessId) ? entry("sales", "/sales", "Sales") : null}
                  {allowed(session, "products:read", businessId)
                    ? entry("products", "/products", "Products")
                    : null}
                  {allowed(session, "payouts:read", businessId)
                    ? entry("payouts", "/payouts", "Payouts")
                    : null}
                  {entry("settings", "/settings", "Settings")}
                  <form method="post" action="/sign-out">
                    <CsrfField session={session} />
                    <button type="submit" class="linkish">
                      Sign out
                    </button>
                  </form>
                </nav>
              )}
              {switcher === undefined ? null : <BusinessSwitcher {...switcher} />}
            </header>
          )}
          <main>{children}</main>
          <script>{raw(CLIENT_SCRIPT)}</script>
        </body>
      </html>
    </>
  );
};
