import type { ConfigVerificationRepository } from "../../application/ports/config-verification-repository.ts";
import { ConfigVerification, type ConfigVerificationState } from "../../domain/config-verification.ts";
import { InMemoryStkPaymentRepository } from "./in-memory-stk-payment-repository.ts";
import { newestFirst } from "./table-helpers.ts";

export class InMemoryConfigVerificationRepository
  extends InMemoryStkPaymentRepository<ConfigVerification, ConfigVerificationState>
  implements ConfigVerificationRepository
{
  protected readonly table = "config_verifications";
  readonly kind = "config_verification";

  protected rows(): Map<string, ConfigVerificationState> {
    return this.tables.configVerifications;
  }

  protected restore(row: ConfigVerificationState): ConfigVerification {
    return ConfigVerification.restore(row);
  }

  protected toRow(payment: ConfigVerification): ConfigVerificationState {
    return payment.snapshot();
  }

  async findLatestForConfig(paymentConfigId: string): Promise<ConfigVerification | null> {
    const [latest] = newestFirst(
      [...this.rows().values()].filter((row) => row.paymentConfigId === paymentConfigId),
    );
    return latest === undefined ? null : ConfigVerification.restore(latest);
  }
}
