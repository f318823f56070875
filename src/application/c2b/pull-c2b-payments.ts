import type { C2bRegistration } from "../../domain/c2b-registration.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { DarajaApp, PaymentGateway } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import type { StkPaymentKinds } from "../stk/stk-payment-kinds.ts";
import { recordC2bPayment } from "./record-c2b-payment.ts";
import type { C2bGatewayFailed } from "./register-c2b-urls.ts";

/** How far back Pull Transactions reaches. */
export const PULL_WINDOW_MS = 48 * 60 * 60 * 1000;
/** Records per Pull Transactions page, and the most pages one pull reads. */
const PAGE_SIZE = 1_000;
const MAX_PAGES = 20;

export type PullOutcome = { readonly pulled: number; readonly recorded: number };

/**
 * Backfills the C2B payments Safaricom's confirmations missed: asks Pull Transactions for the last 48 hours of the
 * registered shortcode and records every receipt not yet known (each in its own transaction, exactly once, as a
 * confirmation would: a pending sale named by its reference is paid). On demand for one business, and for every
 * registration from the reconciler.
 */
export class PullC2bPayments {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly secretBox: SecretBox;
      readonly stkKinds: StkPaymentKinds;
    },
  ) {}

  async execute(input: {
    readonly access: Access;
    readonly businessId: string;
  }): Promise<Result<PullOutcome, NotFound | Forbidden | InvalidInput | C2bGatewayFailed>> {
    const registration = await this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const found = await r.c2bRegistrations.findByBusiness(business.value.id);
      return found === null ? err(notFound("C2B registration")) : ok(found);
    });
    if (!registration.ok) {
      return registration;
    }
    return this.pull(registration.value);
  }

  /** The reconciler's pull: every registered shortcode, at most `limit` of them. Failures are left for next time. */
  async pullAll(limit: number): Promise<PullOutcome> {
    const registrations = await this.deps.uow.read((r) => r.c2bRegistrations.listAll(limit));
    let pulled = 0;
    let recorded = 0;
    for (const registration of registrations) {
      const outcome = await this.pull(registration);
      if (outcome.ok) {
        pulled += outcome.value.pulled;
        recorded += outcome.value.recorded;
      }
    }
    return { pulled, recorded };
  }

  private async pull(registration: C2bRegistration): Promise<Result<PullOutcome, C2bGatewayFailed>> {
    const app = await this.appOf(registration.businessId);
    const to = this.deps.clock.now();
    const from = new Date(to.getTime() - PULL_WINDOW_MS);
    let pulled = 0;
    let recorded = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.deps.gateway.pullTransactions({
        app,
        shortcode: registration.shortcode,
        from,
        to,
        offset: page * PAGE_SIZE,
      });
      if (!answer.ok) {
        return err({ type: "c2b_gateway_failed", failure: answer.error });
      }
      for (const payment of answer.value) {
        pulled += 1;
        const now = this.deps.clock.now();
        const recording = await this.deps.uow.run((r) =>
          recordC2bPayment(
            r,
            { stkKinds: this.deps.stkKinds, context: { now, ids: this.deps.ids } },
            {
              businessId: registration.businessId,
              notification: { ...payment, shortcode: registration.shortcode },
              source: "pull",
            },
          ),
        );
        if (recording.type === "recorded") {
          recorded += 1;
        }
      }
      if (answer.value.length < PAGE_SIZE) {
        break;
      }
    }
    return ok({ pulled, recorded });
  }

  /** The business's own Daraja app, when its active config has one. */
  private appOf(businessId: string): Promise<DarajaApp | null> {
    return this.deps.uow.read(async (r) => {
      const config = await r.paymentConfigs.findActiveByBusiness(businessId);
      if (config === null || config.ownApp === null) {
        return null;
      }
      return {
        consumerKey: config.ownApp.consumerKey,
        consumerSecret: await this.deps.secretBox.open(
          config.ownApp.consumerSecret,
          secretBinding(config.businessId, SECRET_FIELDS.paymentConsumerSecret),
        ),
      };
    });
  }
}
