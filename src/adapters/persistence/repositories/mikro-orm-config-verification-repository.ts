import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { ConfigVerificationRepository } from "../../../application/ports/config-verification-repository.ts";
import type { ConfigVerification } from "../../../domain/config-verification.ts";
import {
  type ConfigVerificationRow,
  ConfigVerificationSchema,
  configVerificationToDomain,
  configVerificationToRow,
} from "../rows/config-verification-row.ts";
import { MikroOrmStkPaymentRepository } from "./mikro-orm-stk-payment-repository.ts";
import { READ } from "./mikro-orm-support.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmConfigVerificationRepository
  extends MikroOrmStkPaymentRepository<ConfigVerification, ConfigVerificationRow>
  implements ConfigVerificationRepository
{
  constructor(em: SqlEntityManager, batch?: SettlementBatch) {
    super(
      em,
      ConfigVerificationSchema,
      configVerificationToRow,
      configVerificationToDomain,
      "config_verification",
      batch,
    );
  }

  async findLatestForConfig(paymentConfigId: string): Promise<ConfigVerification | null> {
    // A group commit's verifications changed so far must be in the table this reads.
    await this.batch?.flushTable(ConfigVerificationSchema as never);
    const row = await this.em.findOne(
      ConfigVerificationSchema,
      { paymentConfigId },
      { ...READ, orderBy: { id: "desc" } },
    );
    return row === null ? null : configVerificationToDomain(row);
  }
}
