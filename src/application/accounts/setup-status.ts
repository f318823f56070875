import type { Business } from "../../domain/business.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/** Where a user who still has to set up a payment method is sent. */
export const SETUP_URL = "/setup/payment-method";

/**
 * True while any of the businesses has no active payment config. An unverified config counts as set up.
 */
export async function isSetupNeeded(
  repositories: Pick<Repositories, "paymentConfigs">,
  businesses: readonly Business[],
): Promise<boolean> {
  if (businesses.length === 0) {
    return false;
  }
  const configured = await repositories.paymentConfigs.businessesWithActiveConfig(
    businesses.map((b) => b.id),
  );
  return businesses.some((business) => !configured.has(business.id));
}
