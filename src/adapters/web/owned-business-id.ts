import type { GetAccount } from "../../application/accounts/get-account.ts";
import type { User } from "../../domain/user.ts";
import { chooseBusiness } from "./choose-business.ts";

/**
 * The business a form posts about: the one in its `business` field if the user owns it; the user's first
 * when the field is empty; undefined for anyone else's (or a made-up) id, which the page answers with a 404.
 */
export async function ownedBusinessId(
  getAccount: GetAccount,
  user: User,
  requested: string | undefined,
): Promise<string | undefined> {
  const { businesses } = await getAccount.execute(user);
  const chosen = chooseBusiness(businesses, requested);
  const asked = requested !== undefined && requested !== "";
  return chosen !== undefined && (!asked || chosen.id === requested) ? chosen.id : undefined;
}
