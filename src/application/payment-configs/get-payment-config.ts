import type { ConfigVerification } from "../../domain/config-verification.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { PaymentConfig } from "../../domain/payment-config.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

export type ConfigWithVerification = {
  readonly config: PaymentConfig;
  readonly lastVerification: ConfigVerification | null;
};

/** A business's active payment config, with its latest verification attempt. */
export class GetPaymentConfig {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "configVerifications" | "paymentConfigs">;
    },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId?: string;
  }): Promise<Result<ConfigWithVerification, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const config = await r.paymentConfigs.findActiveByBusiness(business.value.id);
      if (config === null) {
        return err(notFound("payment config"));
      }
      return ok({ config, lastVerification: await r.configVerifications.findLatestForConfig(config.id) });
    });
  }
}
