import { ConfigVerification } from "../../domain/config-verification.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentGateway } from "../ports/payment-gateway.ts";
import type { PaymentMetrics } from "../ports/payment-metrics.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { type Access, callerId } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { businessPush, chargingBusiness, type PaymentConfigMissing } from "../shared/business-push.ts";
import { callbackUrlFor } from "../shared/callback-url.ts";
import { admitPush, type PushLimits, type PushRateLimited } from "../shared/push-limits.ts";
import { type PushRefused, pushAndRecord } from "../shared/record-push-answer.ts";

/**
 * Proves a business's active config works: a KES 1 STK push through it to the owner's phone. The verification is
 * stored pending before Daraja is called; when it is paid (through the shared callback receiver), the config is
 * verified. A push Daraja refuses at once is stored failed and answered with the problem.
 */
export class VerifyPaymentConfig {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "configVerifications" | "paymentConfigs" | "pushLog">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly secretBox: SecretBox;
      readonly callbackSecrets: CallbackSecrets;
      readonly callbackUrl: string;
      readonly metrics: PaymentMetrics;
      readonly pushLimits: PushLimits;
    },
  ) {}

  async execute(input: {
    readonly access: Access;
    readonly businessId?: string;
    /** The owner's phone, which gets the KES 1 test prompt. */
    readonly phone: Msisdn;
  }): Promise<
    Result<
      ConfigVerification,
      InvalidInput | NotFound | Forbidden | PaymentConfigMissing | PushRateLimited | PushRefused
    >
  > {
    const phone = input.phone;
    const secret = this.deps.callbackSecrets.issue();
    const prepared = await this.deps.uow.run(async (r) => {
      const charging = await chargingBusiness(r, input.access, input.businessId);
      if (!charging.ok) {
        return charging;
      }
      const { business, config } = charging.value;
      const verification = ConfigVerification.create({
        id: this.deps.ids.next(),
        businessId: business.id,
        paymentConfigId: config.id,
        phone,
        callbackTokenHash: secret.hash,
        createdAt: this.deps.clock.now(),
      });
      const push = await businessPush(config, business, this.deps.secretBox, {
        phone,
        amount: verification.amount,
        description: "Verify PayMe",
        callbackUrl: callbackUrlFor(this.deps.callbackUrl, secret.token),
      });
      if (!push.ok) {
        return push;
      }
      const admitted = await admitPush(r, this.deps, {
        kind: "verification",
        userId: callerId(input.access.actor),
        businessId: business.id,
        phone,
      });
      if (!admitted.ok) {
        return admitted;
      }
      await r.configVerifications.add(verification);
      return ok({ verification, push: push.value });
    });
    if (!prepared.ok) {
      return prepared;
    }
    const { verification, push } = prepared.value;
    return pushAndRecord(this.deps, {
      kind: "config_verification",
      payment: verification,
      push,
      store: (r) => r.configVerifications,
    });
  }
}
