import type { PayoutConfig } from "../../domain/payout-config.ts";
import type { SealedSecret } from "../../domain/sealed-secret.ts";

/**
 * Businesses' payout (B2C) configs. At most one config per business is active; the database enforces it (a
 * partial unique index), so the caller deactivates the old one before adding the new. Configs are never
 * deleted: the payouts they sent still name them.
 */
export interface PayoutConfigRepository {
  /** Throws UniqueViolation if the business already has another active payout config. */
  add(config: PayoutConfig): Promise<void>;
  /** Saves `active` and the limits; never the secrets (a key rotation may be re-sealing them). */
  update(config: PayoutConfig): Promise<void>;
  findById(id: string): Promise<PayoutConfig | null>;
  /**
   * The business's active config. With `lock`, its row stays locked until the transaction ends: payouts of the
   * business, limit changes and setups then take turns. A setup that replaced the config while this waited for
   * the lock does not make it miss: it answers the config that is active now.
   */
  findActiveByBusiness(businessId: string, options?: { lock?: boolean }): Promise<PayoutConfig | null>;
  /** Every config, active or not, in id order after `afterId`: for re-sealing secrets under a new key. */
  listAfter(afterId: string | null, limit: number): Promise<PayoutConfig[]>;
  /** Replaces a config's sealed secrets (a key rotation) and touches nothing else. */
  replaceSecrets(
    id: string,
    initiatorPassword: SealedSecret,
    consumerSecret: SealedSecret | null,
  ): Promise<void>;
}
