import type { FC } from "hono/jsx";
import { may } from "../../../application/shared/authorize.ts";
import type { Business } from "../../../domain/business.ts";
import { Layout } from "../components/layout.tsx";
import type { PageAbilities } from "../web-access.tsx";
import type { WebSession } from "../web-env.ts";

/** `/settings`: one menu for everything that is set once — payment method, team, API keys, till look-ups,
 * webhooks, wallet. */
export const SettingsPage: FC<{
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  readonly abilities: PageAbilities;
}> = ({ session, businesses, business, abilities }) => {
  const query = `?business=${encodeURIComponent(business.id)}`;
  const entries = [
    abilities.configs
      ? {
          href: `/setup/payment-method${query}`,
          title: "Payment method",
          text: "Your Till or Paybill, and its test payment.",
        }
      : null,
    abilities.members
      ? { href: `/team${query}`, title: "Team", text: "Who works here, and what each role may do." }
      : null,
    abilities.apiKeys
      ? {
          href: `/api-keys${query}`,
          title: "API keys",
          text: "Keys for your own software to charge and read sales.",
        }
      : null,
    may(session.actor, "transactions:read", business.id)
      ? {
          href: `/dashboard/till${query}`,
          title: "Till",
          text: "Look up an M-Pesa receipt, and the M-Pesa account's balance.",
        }
      : null,
    abilities.webhooks
      ? {
          href: `/dashboard/webhooks${query}`,
          title: "Webhooks",
          text: "Where PayMe tells your systems about payments.",
        }
      : null,
    {
      href: `/dashboard${query}#wallet`,
      title: "Wallet",
      text: "Your PayMe tokens: credit bought with M-Pesa.",
    },
    { href: "/docs", title: "API documentation", text: "Every route of the PayMe API." },
  ].filter((entry) => entry !== null);
  return (
    <Layout
      title="Settings"
      session={session}
      businessId={business.id}
      section="settings"
      switcher={{ businesses, current: business, action: "/settings" }}
    >
      <h1>Settings of {business.name}</h1>
      <nav aria-label="Settings">
        <ul class="rows card">
          {entries.map((entry) => (
            <li>
              <a href={entry.href}>
                <strong>{entry.title}</strong>
              </a>
              <span class="muted">{entry.text}</span>
            </li>
          ))}
        </ul>
      </nav>
      {abilities.configs ? null : (
        <p class="muted">
          Payment methods, payouts, the team and API keys are managed by an owner of the business.
        </p>
      )}
    </Layout>
  );
};
