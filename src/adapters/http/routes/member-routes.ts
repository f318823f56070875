import { Hono } from "hono";
import * as v from "valibot";
import type { AcceptInvitationAsUser } from "../../../application/access/accept-invitation.ts";
import type { AddMember } from "../../../application/access/add-member.ts";
import type { ChangeMemberRole } from "../../../application/access/change-member-role.ts";
import type { ListMembers } from "../../../application/access/list-members.ts";
import type { RemoveMember } from "../../../application/access/remove-member.ts";
import type { WithdrawInvitation } from "../../../application/access/withdraw-invitation.ts";
import { INVITATION_DAYS } from "../../../application/shared/invitations.ts";
import { Email } from "../../../domain/email.ts";
import { INVITABLE_ROLES, parseInvitableRole, parseRole, ROLES } from "../../../domain/role.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { BusinessSchema, InvitationSchema, MemberSchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { presentInvitation, presentMember, presentMembership } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

export const AddMemberBody = v.object({
  email: domainValue((input) => Email.parse(input), {
    type: "string",
    format: "email",
    maxLength: Email.MAX_LENGTH,
  }),
  role: domainValue((input) => parseInvitableRole(input), { type: "string", enum: [...INVITABLE_ROLES] }),
});
export const ChangeRoleBody = v.object({
  role: domainValue((input) => parseRole(input), { type: "string", enum: [...ROLES] }),
});

const BusinessPath = v.object({ businessId: idParam });
const MemberPath = v.object({ businessId: idParam, userId: idParam });
const InvitationPath = v.object({ businessId: idParam, invitationId: idParam });
const TokenPath = v.object({
  token: v.pipe(v.string(), v.regex(/^[0-9A-Za-z]{1,64}$/, "must be the token of an invitation link")),
});

/** Where an invitation's link leads: the sign-up page, which carries the token into the sign-up. */
export const inviteUrl = (requestUrl: string, token: string): string =>
  new URL(`/sign-up?invitation=${encodeURIComponent(token)}`, requestUrl).toString();

/**
 * `/api/businesses/:businessId/members` (an owner's: list, add by email or invite, change a role, remove),
 * its invitations, and `POST /api/invitations/:token/accept` for a signed-in user the invitation names.
 */
export function memberRoutes(deps: {
  readonly listMembers: ListMembers;
  readonly addMember: AddMember;
  readonly changeMemberRole: ChangeMemberRole;
  readonly removeMember: RemoveMember;
  readonly withdrawInvitation: WithdrawInvitation;
  readonly acceptInvitation: AcceptInvitationAsUser;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .get(
      "/api/businesses/:businessId/members",
      routeDoc({
        tag: "Members",
        summary: "A business's members",
        permission: "members:manage",
        success: {
          status: 200,
          description: "Owners first, then by when they joined.",
          schema: v.object({ members: v.array(MemberSchema) }),
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      async (c) => {
        const result = await deps.listMembers.execute({ access: c.var.access, ...c.req.valid("param") });
        return result.ok
          ? c.json({ members: result.value.members.map(presentMember) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/businesses/:businessId/invitations",
      routeDoc({
        tag: "Members",
        summary: "A business's pending invitations",
        permission: "members:manage",
        success: {
          status: 200,
          description: "Unexpired and not yet accepted, newest first (never their tokens).",
          schema: v.object({ invitations: v.array(InvitationSchema) }),
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      async (c) => {
        const result = await deps.listMembers.execute({ access: c.var.access, ...c.req.valid("param") });
        return result.ok
          ? c.json({ invitations: result.value.invitations.map(presentInvitation) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .post(
      "/api/businesses/:businessId/members",
      routeDoc({
        tag: "Members",
        summary: "Add a member by email",
        description: `A user with this email joins at once (201 { member }); one who already belongs keeps their role. An unknown email gets an invitation (201 { invitation, inviteUrl }): the link works for ${INVITATION_DAYS} days, only for that email, once, and is shown only now.`,
        permission: "members:manage",
        readsJson: true,
        success: {
          status: 201,
          description: "Added, or invited.",
          schema: v.object({
            member: v.optional(MemberSchema),
            invitation: v.optional(InvitationSchema),
            inviteUrl: v.optional(v.string()),
          }),
        },
        problems: [404],
      }),
      pathParams(BusinessPath),
      jsonBody(AddMemberBody),
      async (c) => {
        const result = await deps.addMember.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          ...c.req.valid("json"),
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        const added = result.value;
        if (added.kind === "member") {
          c.var.log.info({ memberId: added.member.userId, memberRole: added.member.role }, "member added");
          return c.json({ member: presentMember(added.member) }, 201);
        }
        c.var.log.info(
          { invitationId: added.invitation.id, invitedRole: added.invitation.role },
          "member invited",
        );
        return c.json(
          { invitation: presentInvitation(added.invitation), inviteUrl: inviteUrl(c.req.url, added.token) },
          201,
        );
      },
    )
    .patch(
      "/api/businesses/:businessId/members/:userId",
      routeDoc({
        tag: "Members",
        summary: "Change a member's role",
        description: "An owner may make another member an owner. Demoting the last owner is 409 last_owner.",
        permission: "members:manage",
        readsJson: true,
        success: { status: 200, description: "Changed.", schema: v.object({ member: MemberSchema }) },
        problems: [404, 409],
      }),
      pathParams(MemberPath),
      jsonBody(ChangeRoleBody),
      async (c) => {
        const result = await deps.changeMemberRole.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          ...c.req.valid("json"),
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(
          { memberId: result.value.userId, memberRole: result.value.role },
          "member role changed",
        );
        return c.json({ member: presentMember(result.value) });
      },
    )
    .delete(
      "/api/businesses/:businessId/members/:userId",
      routeDoc({
        tag: "Members",
        summary: "Remove a member",
        description:
          "The member loses access from their next request, on every instance. Removing the last owner is 409 last_owner.",
        permission: "members:manage",
        success: { status: 204, description: "Removed." },
        problems: [400, 404, 409],
      }),
      pathParams(MemberPath),
      async (c) => {
        const result = await deps.removeMember.execute({ access: c.var.access, ...c.req.valid("param") });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info({ memberId: c.req.valid("param").userId }, "member removed");
        return c.body(null, 204);
      },
    )
    .delete(
      "/api/businesses/:businessId/invitations/:invitationId",
      routeDoc({
        tag: "Members",
        summary: "Withdraw an invitation",
        permission: "members:manage",
        success: { status: 204, description: "Withdrawn: its link no longer works." },
        problems: [400, 404],
      }),
      pathParams(InvitationPath),
      async (c) => {
        const result = await deps.withdrawInvitation.execute({
          access: c.var.access,
          ...c.req.valid("param"),
        });
        return result.ok ? c.body(null, 204) : problemResponse(c, problemFor(result.error));
      },
    )
    .post(
      "/api/invitations/:token/accept",
      routeDoc({
        tag: "Members",
        summary: "Accept an invitation",
        description:
          "For a signed-in user whose email the invitation is bound to, before it expires, once. Any other token is 404.",
        permission: "account:use",
        success: {
          status: 200,
          description: "Joined: the business, with the role.",
          schema: v.object({ business: BusinessSchema }),
        },
        problems: [400, 404],
      }),
      pathParams(TokenPath),
      async (c) => {
        const result = await deps.acceptInvitation.execute({
          user: c.var.user,
          token: c.req.valid("param").token,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(
          { businessId: result.value.business.id, memberRole: result.value.role },
          "invitation accepted",
        );
        return c.json({ business: presentMembership(result.value) });
      },
    );
}
