import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AddMember } from "../../../application/access/add-member.ts";
import type { ChangeMemberRole } from "../../../application/access/change-member-role.ts";
import type { CreateApiKey } from "../../../application/access/create-api-key.ts";
import type { ListApiKeys } from "../../../application/access/list-api-keys.ts";
import type { ListMembers } from "../../../application/access/list-members.ts";
import type { RemoveMember } from "../../../application/access/remove-member.ts";
import type { RevokeApiKey } from "../../../application/access/revoke-api-key.ts";
import type { WithdrawInvitation } from "../../../application/access/withdraw-invitation.ts";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import { may } from "../../../application/shared/authorize.ts";
import type { Permission } from "../../../application/shared/permissions.ts";
import { API_KEY_SCOPES } from "../../../domain/api-key-scope.ts";
import { Email } from "../../../domain/email.ts";
import { invalid, validateAll } from "../../../domain/invalid-value.ts";
import { err, type Result } from "../../../domain/result.ts";
import { parseInvitableRole, parseRole } from "../../../domain/role.ts";
import { requiredText } from "../../../domain/text.ts";
import { type ApplicationError, problemFor } from "../../http/error-mapping.ts";
import { API_KEY_NAME_MAX } from "../../http/routes/api-key-routes.ts";
import { inviteUrl } from "../../http/routes/member-routes.ts";
import { chooseBusiness, isId } from "../choose-business.ts";
import { EMPTY_FORM, type FormState, failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import { formDoc, htmlPageDoc } from "../page-docs.ts";
import { API_KEY_LABELS, ApiKeysPage, TEAM_LABELS, TeamPage } from "../pages/team-page.tsx";
import { memberBusinessId, notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type TeamPageDependencies = {
  readonly getAccount: GetAccount;
  readonly listMembers: ListMembers;
  readonly addMember: AddMember;
  readonly changeMemberRole: ChangeMemberRole;
  readonly removeMember: RemoveMember;
  readonly withdrawInvitation: WithdrawInvitation;
  readonly createApiKey: CreateApiKey;
  readonly listApiKeys: ListApiKeys;
  readonly revokeApiKey: RevokeApiKey;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
};

/**
 * `/team` and `/api-keys`: an owner's pages for the business's members and invitations, and its API keys. Each
 * asks `authorize` (through its use cases) as the JSON API does: a manager or cashier gets 403 here too.
 */
export function teamPages(deps: TeamPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  const signedInForm = [deps.sameOrigin, deps.guard.page, deps.guard.formToken] as const;

  /** The page's business, if the user belongs to it and may do `permission` there. */
  const pageBusiness = async (c: Context<WebEnv>, requested: string | undefined, permission: Permission) => {
    const account = await deps.getAccount.execute(c.var.session.user);
    const businesses = account.businesses.map((m) => m.business);
    const business = chooseBusiness(businesses, requested);
    if (
      business === undefined ||
      (requested !== undefined && requested !== "" && business.id !== requested)
    ) {
      return { refused: notYourBusiness(c) } as const;
    }
    if (!may(c.var.session.actor, permission, business.id)) {
      return {
        refused: notAllowed(c, permission === "members:manage" ? "manage the team" : "manage API keys"),
      } as const;
    }
    return { business, businesses } as const;
  };

  const renderTeam = async (
    c: Context<WebEnv>,
    requested: string | undefined,
    extra: { form?: FormState; inviteUrl?: string | null } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const found = await pageBusiness(c, requested, "members:manage");
    if ("refused" in found) {
      return found.refused;
    }
    const { business, businesses } = found;
    const listed = await deps.listMembers.execute({
      access: webAccess(c.var.session, "members:manage"),
      businessId: business.id,
    });
    if (!listed.ok) {
      return notAllowed(c, "manage the team");
    }
    return htmlPage(
      c,
      <TeamPage
        session={c.var.session}
        businesses={businesses}
        business={business}
        members={listed.value.members}
        invitations={listed.value.invitations}
        form={extra.form ?? EMPTY_FORM}
        inviteUrl={extra.inviteUrl ?? null}
      />,
      status,
    );
  };

  /**
   * What a team form answers once its use case has run: a role that may not is refused, another failure shows the
   * team page again with the error, and success goes back to `anchor` on the team page.
   */
  const afterTeamChange = (
    c: Context<WebEnv>,
    businessId: string,
    result: Result<unknown, ApplicationError>,
    anchor: "members" | "invitations",
  ) => {
    if (result.ok) {
      return c.redirect(`${teamOf(businessId)}#${anchor}`, 303);
    }
    const problem = problemFor(result.error);
    return problem.status === 403
      ? notAllowed(c, "manage the team")
      : renderTeam(
          c,
          businessId,
          { form: { values: {}, fieldErrors: {}, formError: problem.detail } },
          problem.status,
        );
  };

  const renderKeys = async (
    c: Context<WebEnv>,
    requested: string | undefined,
    extra: { form?: FormState; created?: { name: string; secret: string } | null } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const found = await pageBusiness(c, requested, "api-keys:manage");
    if ("refused" in found) {
      return found.refused;
    }
    const { business, businesses } = found;
    const keys = await deps.listApiKeys.execute({
      access: webAccess(c.var.session, "api-keys:manage"),
      businessId: business.id,
    });
    if (!keys.ok) {
      return notAllowed(c, "manage API keys");
    }
    c.header("Cache-Control", "no-store");
    return htmlPage(
      c,
      <ApiKeysPage
        session={c.var.session}
        businesses={businesses}
        business={business}
        apiKeys={keys.value}
        form={extra.form ?? EMPTY_FORM}
        created={extra.created ?? null}
      />,
      status,
    );
  };

  const teamOf = (businessId: string) => `/team?business=${encodeURIComponent(businessId)}`;
  const keysOf = (businessId: string) => `/api-keys?business=${encodeURIComponent(businessId)}`;

  /** A form's business, if the user belongs to it: else the answer to send. */
  const formBusiness = async (c: Context<WebEnv>) => {
    const form = await FormValues.of(c);
    const businessId = memberBusinessId(c.var.session, form.text("business"));
    return { form, businessId };
  };

  pages.get(
    "/team",
    htmlPageDoc("Team", "An owner's members, invitations and roles."),
    deps.guard.page,
    (c) => renderTeam(c, c.req.query("business")),
  );

  pages.post(
    "/team",
    formDoc("Add a member", "Adds someone by email, or invites them."),
    ...signedInForm,
    async (c) => {
      const { form, businessId } = await formBusiness(c);
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      const parsed = validateAll({
        email: Email.parse(form.text("email")),
        role: parseInvitableRole(form.text("role")),
      });
      const result = parsed.ok
        ? await deps.addMember.execute({
            access: webAccess(c.var.session, "members:manage"),
            businessId,
            ...parsed.value,
          })
        : parsed;
      if (!result.ok) {
        const problem = problemFor(result.error);
        if (problem.status === 403) {
          return notAllowed(c, "manage the team");
        }
        return renderTeam(
          c,
          businessId,
          { form: failedForm(form.echo(), problem, TEAM_LABELS) },
          problem.status,
        );
      }
      if (result.value.kind === "member") {
        return c.redirect(`${teamOf(businessId)}#members`, 303);
      }
      // The link is shown on this answer only: it is not stored anywhere it could be shown again.
      c.header("Cache-Control", "no-store");
      return renderTeam(c, businessId, { inviteUrl: inviteUrl(c.req.url, result.value.token) }, 201);
    },
  );

  pages.post("/team/role", formDoc("Change a member's role", "Owner only."), ...signedInForm, async (c) => {
    const { form, businessId } = await formBusiness(c);
    const userId = form.text("userId");
    const role = parseRole(form.text("role"));
    if (businessId === undefined || !isId(userId)) {
      return notYourBusiness(c);
    }
    const result = role.ok
      ? await deps.changeMemberRole.execute({
          access: webAccess(c.var.session, "members:manage"),
          businessId,
          userId,
          role: role.value,
        })
      : role;
    return afterTeamChange(c, businessId, result, "members");
  });

  pages.post("/team/remove", formDoc("Remove a member", "Owner only."), ...signedInForm, async (c) => {
    const { form, businessId } = await formBusiness(c);
    const userId = form.text("userId");
    if (businessId === undefined || !isId(userId)) {
      return notYourBusiness(c);
    }
    const result = await deps.removeMember.execute({
      access: webAccess(c.var.session, "members:manage"),
      businessId,
      userId,
    });
    return afterTeamChange(c, businessId, result, "members");
  });

  pages.post(
    "/team/invitations/withdraw",
    formDoc("Withdraw an invitation", "Owner only."),
    ...signedInForm,
    async (c) => {
      const { form, businessId } = await formBusiness(c);
      const invitationId = form.text("invitationId");
      if (businessId === undefined || !isId(invitationId)) {
        return notYourBusiness(c);
      }
      const result = await deps.withdrawInvitation.execute({
        access: webAccess(c.var.session, "members:manage"),
        businessId,
        invitationId,
      });
      if (!result.ok && problemFor(result.error).status === 403) {
        return notAllowed(c, "manage the team");
      }
      return c.redirect(`${teamOf(businessId)}#invitations`, 303);
    },
  );

  pages.get(
    "/api-keys",
    htmlPageDoc("API keys", "An owner's API keys: create, list, revoke."),
    deps.guard.page,
    (c) => renderKeys(c, c.req.query("business")),
  );

  pages.post(
    "/api-keys",
    formDoc("Create an API key", "The secret is shown once."),
    ...signedInForm,
    async (c) => {
      const { form, businessId } = await formBusiness(c);
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      const scopes = API_KEY_SCOPES.filter((scope) => form.text(`scope.${scope}`) !== "");
      const name = requiredText(form.text("name"), "name", API_KEY_NAME_MAX);
      const result = !name.ok
        ? name
        : scopes.length === 0
          ? err(invalid("scopes", "must include at least one scope"))
          : await deps.createApiKey.execute({
              access: webAccess(c.var.session, "api-keys:manage"),
              businessId,
              name: name.value,
              scopes,
            });
      if (!result.ok) {
        const problem = problemFor(result.error);
        return problem.status === 403
          ? notAllowed(c, "manage API keys")
          : renderKeys(
              c,
              businessId,
              { form: failedForm(form.echo(), problem, API_KEY_LABELS) },
              problem.status,
            );
      }
      c.var.log.info({ apiKeyId: result.value.apiKey.id }, "API key created in the browser");
      return renderKeys(
        c,
        businessId,
        { created: { name: result.value.apiKey.name, secret: result.value.secret } },
        201,
      );
    },
  );

  pages.post(
    "/api-keys/revoke",
    formDoc("Revoke an API key", "It stops working at once."),
    ...signedInForm,
    async (c) => {
      const { form, businessId } = await formBusiness(c);
      const apiKeyId = form.text("apiKeyId");
      if (businessId === undefined || !isId(apiKeyId)) {
        return notYourBusiness(c);
      }
      const result = await deps.revokeApiKey.execute({
        access: webAccess(c.var.session, "api-keys:manage"),
        businessId,
        apiKeyId,
      });
      if (!result.ok && problemFor(result.error).status === 403) {
        return notAllowed(c, "manage API keys");
      }
      return c.redirect(`${keysOf(businessId)}#keys`, 303);
    },
  );

  return pages;
}
