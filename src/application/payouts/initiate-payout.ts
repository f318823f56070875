import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Kes } from "../../domain/kes.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import { Payout, type PayoutCommand } from "../../domain/payout.ts";
import type { PayoutLimitExceeded } from "../../domain/payout-limits.ts";
import type { PayoutRemarks } from "../../domain/payout-remarks.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import {
  type B2cAccount,
  type DefiniteRefusal,
  isAmbiguous,
  type PaymentGateway,
} from "../ports/payment-gateway.ts";
import type { PayoutEvent } from "../ports/payout-event-repository.ts";
import type { PayoutFollower } from "../ports/payout-follower.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import { type Access, personId } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { b2cAccountFor, type PayoutConfigMissing } from "../shared/b2c-account.ts";
import { type PayoutChangeRepositories, recordPayoutChange } from "../shared/payout-events.ts";
import { checkPayoutLimits } from "../shared/payout-limit-check.ts";
import { b2cUrlsFor } from "../shared/payout-urls.ts";

/** Daraja refused the B2C request definitely (nothing started): the payout is stored failed, and the caller is told why. */
export type PayoutRefused = { readonly type: "payout_refused"; readonly failure: DefiniteRefusal };

/** A payout to send, its values already parsed. */
export type InitiatePayoutInput = {
  readonly access: Access;
  /** Left out: the business the caller implies (an API key's, or a member's only one). */
  readonly businessId?: string;
  readonly phone: Msisdn;
  /** 10 to 250,000 shillings (Kes.forPayout). */
  readonly amount: Kes;
  /** "Payout" when left out. */
  readonly remarks?: PayoutRemarks | null;
  /** BusinessPayment when left out. */
  readonly commandId?: PayoutCommand | null;
};

/**
 * A business owner sends money to a phone by B2C (v3) from the business's payout config, within the business's
 * payout limits: the config's row is locked while the day's payouts are summed and this one is stored, so two
 * payouts at once cannot together go over the daily limit.
 *
 * The payout is stored `pending`, with its own OriginatorConversationID and callback token, before Daraja is
 * called; no transaction is open during the call. Only a definite refusal fails it (push outcome `refused`). An
 * answer that never came or does not say (`outcome_unknown`: a timeout, a 5xx, an HTML page) leaves it pending
 * with push outcome `unknown`, and "Duplicate OriginatorConversationID" (an earlier request was accepted) leaves
 * it pending too: its result callback, or a Transaction Status query, settles it. Nothing here ever sends a
 * payout twice: Daraja itself refuses a repeated OriginatorConversationID.
 */
export class InitiatePayout {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<
        "businesses" | "payoutConfigs" | "payoutEvents" | "payouts" | keyof PayoutChangeRepositories
      >;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly callbackSecrets: CallbackSecrets;
      /** Told when a payout settles (a partial refund follows its payout). */
      readonly payoutFollower: PayoutFollower;
      readonly secretBox: SecretBox;
      /** MPESA_CALLBACK_URL: the payout's result and timeout URLs are built on its origin. */
      readonly callbackUrl: string;
    },
  ) {}

  async execute(
    input: InitiatePayoutInput,
  ): Promise<
    Result<
      Payout,
      InvalidInput | NotFound | Forbidden | PayoutConfigMissing | PayoutLimitExceeded | PayoutRefused
    >
  > {
    const { ids, clock } = this.deps;
    const secret = this.deps.callbackSecrets.issue();
    const stored = await this.deps.uow.run(
      async (
        r,
      ): Promise<
        Result<
          { payout: Payout; account: B2cAccount },
          NotFound | Forbidden | InvalidInput | PayoutConfigMissing | PayoutLimitExceeded
        >
      > => {
        // The business shared, then the config locked: the order a setup locks them in, so neither waits on the
        // other in a circle. Payouts of the business take turns on the config's row.
        const found = await accessibleBusiness(r, input.access, input.businessId, { lock: "share" });
        if (!found.ok) {
          return found;
        }
        const business = found.value;
        const config = await r.payoutConfigs.findActiveByBusiness(business.id, { lock: true });
        if (config === null) {
          return err({ type: "payout_config_missing" });
        }
        const now = clock.now();
        const withinLimits = await checkPayoutLimits(r, config, input.amount, now);
        if (!withinLimits.ok) {
          return withinLimits;
        }
        // Opened before anything is written: a secret that cannot be opened leaves no payout behind.
        const account = await b2cAccountFor(config, this.deps.secretBox);
        const payout = Payout.create({
          id: ids.next(),
          businessId: business.id,
          requestedBy: personId(input.access.actor),
          payoutConfigId: config.id,
          amount: input.amount,
          phone: input.phone,
          ...(input.commandId === undefined || input.commandId === null
            ? {}
            : { commandId: input.commandId }),
          remarks: input.remarks ?? null,
          originatorConversationId: ids.next(),
          callbackTokenHash: secret.hash,
          createdAt: now,
        });
        await r.payouts.add(payout);
        await r.payoutEvents.append(
          this.event(payout.id, "requested", {
            requestedBy: personId(input.access.actor),
            ...(input.access.actor.kind === "api_key" ? { apiKeyId: input.access.actor.keyId } : {}),
            amount: payout.amount.value,
            phone: payout.phone.value,
            commandId: payout.commandId,
            remarks: payout.remarks,
            shortcode: config.shortcode.value,
            initiatorName: config.initiatorName,
            originatorConversationId: payout.originatorConversationId,
          }),
        );
        return ok({ payout, account });
      },
    );
    if (!stored.ok) {
      return stored;
    }
    const { payout, account } = stored.value;

    const sent = await this.deps.gateway.b2cPayment({
      account,
      originatorConversationId: payout.originatorConversationId,
      commandId: payout.commandId,
      amount: payout.amount,
      phone: payout.phone,
      remarks: payout.remarks,
      ...b2cUrlsFor(this.deps.callbackUrl, secret.token),
    });
    if (!sent.ok && sent.error.type === "outcome_unknown") {
      // Daraja may have taken it: it stays pending (push outcome `unknown`), and its token still identifies it
      // when the result comes; a Transaction Status query settles it otherwise.
      const message = sent.error.message;
      const current = await this.deps.uow.run(async (r) => {
        await r.payoutEvents.append(this.event(payout.id, "outcome_unknown", { message }));
        return r.payouts.findById(payout.id);
      });
      return ok(current ?? payout);
    }
    // A result may already have settled the payout: record the answer on the row as it is now.
    const recorded = await this.deps.uow.run(async (r) => {
      const current = await r.payouts.findById(payout.id, { lock: true });
      if (current === null) {
        throw new Error(`payout ${payout.id} vanished`);
      }
      if (sent.ok) {
        current.recordAcceptance(sent.value.conversationId);
        await r.payoutEvents.append(
          this.event(payout.id, "sent", { conversationId: sent.value.conversationId }),
        );
      } else if (sent.error.type === "already_accepted") {
        current.recordDuplicateAccepted();
        await r.payoutEvents.append(this.event(payout.id, "duplicate", { message: sent.error.message }));
      } else {
        current.markRequestRefused(sent.error.message, clock.now());
        await r.payoutEvents.append(
          this.event(payout.id, "refused", { failure: sent.error.type, message: sent.error.message }),
        );
      }
      await r.payouts.update(current);
      await recordPayoutChange(
        r,
        current,
        { now: clock.now(), ids: this.deps.ids },
        this.deps.payoutFollower,
      );
      return current;
    });
    if (sent.ok) {
      return ok(recorded);
    }
    const failure = sent.error;
    return isAmbiguous(failure) ? ok(recorded) : err({ type: "payout_refused", failure });
  }

  private event(payoutId: string, type: PayoutEvent["type"], detail: PayoutEvent["detail"]): PayoutEvent {
    return { id: this.deps.ids.next(), payoutId, at: this.deps.clock.now(), type, detail };
  }
}

/** The request was checked before the transaction began, so creating the payout cannot fail on it. */
