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

export class MikroOrmConfigVerificationRepository
  extends MikroOrmStkPaymentRepository<ConfigVerification, ConfigVerificationRow>
  implements ConfigVerificationRepository
{
  constructor(em: SqlEntityManager) {
    super(
      em,
      ConfigVerificationSchema,
      configVerificationToRow,
      configVerificationToDomain,
      "config_verification",
    );
  }

  async findLatestForConfig(paymentConfigId: string): Promise<ConfigVerification | null> {
    const row = await this.em.findOne(
      ConfigVerificationSchema,
      { paymentConfigId },
      { ...READ, orderBy: { id: "desc" } },
    );
    return row === null ? null : configVerificationToDomain(row);
  }
}
