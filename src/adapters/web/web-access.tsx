import type { Context } from "hono";
import type { Access } from "../../application/shared/actor.ts";
import { may } from "../../application/shared/authorize.ts";
import type { Permission } from "../../application/shared/permissions.ts";
import type { Role } from "../../domain/role.ts";
import { isId } from "./choose-business.ts";
import { htmlPage } from "./html-page.ts";
import { MessagePage } from "./pages/message-page.tsx";
import type { WebEnv, WebSession } from "./web-env.ts";

/** The signed-in user asking to do `permission`: what a page hands its use case, which asks `authorize`. */
export const webAccess = (session: WebSession, permission: Permission): Access => ({
  actor: session.actor,
  permission,
});

/** What the pages may offer the user in a business: each is `authorize`'s answer, so the pages hide what the server refuses. */
export type PageAbilities = {
  readonly role: Role | null;
  readonly configs: boolean;
  readonly products: boolean;
  readonly charge: boolean;
  readonly members: boolean;
  readonly apiKeys: boolean;
  readonly webhooks: boolean;
};

export function abilitiesIn(session: WebSession, businessId: string): PageAbilities {
  const role = session.actor.memberships.find((m) => m.businessId === businessId)?.role ?? null;
  return {
    role,
    configs: may(session.actor, "configs:manage", businessId),
    products: may(session.actor, "products:write", businessId),
    charge: may(session.actor, "sales:write", businessId),
    members: may(session.actor, "members:manage", businessId),
    apiKeys: may(session.actor, "api-keys:manage", businessId),
    webhooks: may(session.actor, "webhooks:write", businessId),
  };
}

/**
 * The business a form posts about: the one in its `business` field if the user belongs to it; the user's first
 * (the oldest membership) when the field is empty; undefined for any other (or a made-up) id, which the page
 * answers with a 404. Read from the memberships loaded with the session on this request.
 */
export function memberBusinessId(session: WebSession, requested: string | undefined): string | undefined {
  const memberships = session.actor.memberships;
  if (requested !== undefined && requested !== "") {
    return isId(requested) && memberships.some((m) => m.businessId === requested) ? requested : undefined;
  }
  return memberships[memberships.length - 1]?.businessId;
}

/** A page or form the user's role does not allow: 403, as the API answers it. */
export function notAllowed(c: Context<WebEnv>, what: string): Response | Promise<Response> {
  return htmlPage(
    c,
    <MessagePage
      title="Not allowed"
      message={`Your role in this business does not allow you to ${what}. Ask an owner of the business.`}
      session={c.var.session}
      link={{ href: "/dashboard", text: "Back to the dashboard" }}
    />,
    403,
  );
}
