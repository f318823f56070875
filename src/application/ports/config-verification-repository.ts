import type { ConfigVerification } from "../../domain/config-verification.ts";
import type { StkPaymentRepository } from "./stk-payment-repository.ts";

/** Verification pushes of payment configs. */
export interface ConfigVerificationRepository extends StkPaymentRepository<ConfigVerification> {
  /** The newest verification of a config, or null when it was never verified. */
  findLatestForConfig(paymentConfigId: string): Promise<ConfigVerification | null>;
}
