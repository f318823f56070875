import type { BusinessMembership } from "../ports/member-repository.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/** Where a user who still has to set up a payment method is sent. */
export const SETUP_URL = "/setup/payment-method";

/**
 * True while any of the businesses the user owns has no active payment config. An unverified config counts as
 * set up; a business the user only works in (as a manager or cashier) is not theirs to set up.
 */
export async function isSetupNeeded(
  repositories: Pick<Repositories, "paymentConfigs">,
  memberships: readonly BusinessMembership[],
): Promise<boolean> {
  const owned = memberships.filter((m) => m.role === "owner").map((m) => m.business.id);
  if (owned.length === 0) {
    return false;
  }
  const configured = await repositories.paymentConfigs.businessesWithActiveConfig(owned);
  return owned.some((id) => !configured.has(id));
}
