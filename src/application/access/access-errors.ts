export type { InvitationInvalid } from "../shared/invitations.ts";

/** Removing or demoting the business's last owner: a business always keeps one. */
export type LastOwner = { readonly type: "last_owner" };
