import type { PaymentConfig } from "../../domain/payment-config.ts";
import type { SealedSecret } from "../../domain/sealed-secret.ts";

/**
 * Businesses' payment configs. At most one config per business is active; the database enforces it
 * (a partial unique index), so the caller deactivates the old one before adding the new.
 */
export interface PaymentConfigRepository {
  /** Throws UniqueViolation if the business already has another active config. */
  add(config: PaymentConfig): Promise<void>;
  /** Saves `verified` and `active`. */
  update(config: PaymentConfig): Promise<void>;
  /**
   * Sets `verified` on a config and touches nothing else, so that a payment proving a config works never
   * races a setup that is deactivating it. True when the config was not verified until now.
   */
  markVerified(id: string): Promise<boolean>;
  findById(id: string): Promise<PaymentConfig | null>;
  findActiveByBusiness(businessId: string): Promise<PaymentConfig | null>;
  /** Every config, active or not, in id order after `afterId`: for re-sealing secrets under a new key. */
  listAfter(afterId: string | null, limit: number): Promise<PaymentConfig[]>;
  /** Replaces a config's sealed secrets (a key rotation) and touches nothing else. */
  replaceSecrets(id: string, passkey: SealedSecret, consumerSecret: SealedSecret | null): Promise<void>;
  /** Replaces a config's sealed initiator password (a key rotation) and touches nothing else. */
  replaceInitiatorSecret(id: string, password: SealedSecret): Promise<void>;
  /** Of the given businesses, those with an active config. */
  businessesWithActiveConfig(businessIds: readonly string[]): Promise<Set<string>>;
}
