import type { C2bPayment } from "../../domain/c2b-payment.ts";
import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { Kes } from "../../domain/kes.ts";
import type { PaymentConfig } from "../../domain/payment-config.ts";
import { Payout } from "../../domain/payout.ts";
import type { PayoutLimitExceeded } from "../../domain/payout-limits.ts";
import { PayoutRemarks } from "../../domain/payout-remarks.ts";
import { type NotRefundable, Refund } from "../../domain/refund.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Sale } from "../../domain/sale.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import {
  type B2cAccount,
  type DefiniteRefusal,
  isAmbiguous,
  type PaymentGateway,
} from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { Repositories, UnitOfWork } from "../ports/unit-of-work.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import { type Access, personId } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import type { PayoutConfigMissing } from "../shared/b2c-account.ts";
import { b2cAccountFor } from "../shared/b2c-account.ts";
import { recordPayoutChange } from "../shared/payout-events.ts";
import { checkPayoutLimits } from "../shared/payout-limit-check.ts";
import { b2cUrlsFor } from "../shared/payout-urls.ts";
import { initiatorAccountFor } from "./initiator-account.ts";
import { refundsFollowPayouts } from "./refunds-follow-payouts.ts";
import { reversalUrlsFor } from "./reversal-urls.ts";
import { saveRefund } from "./save-refund.ts";

/** The payment config has no initiator (API operator): Daraja's Reversal cannot be asked for. */
export type InitiatorMissing = { readonly type: "initiator_missing" };
/** Daraja refused the refund's request definitely: the refund is stored failed, and the caller is told why. */
export type RefundRefused = { readonly type: "refund_refused"; readonly failure: DefiniteRefusal };

export type RefundTarget = { readonly kind: "sale" | "c2b_payment"; readonly id: string };

export type InitiateRefundInput = {
  readonly access: Access;
  readonly target: RefundTarget;
  /** Left out: everything left to refund. */
  readonly amount: Kes | null;
  readonly reason: string | null;
  /** Left out: true for a full refund of a sale. Only a full refund puts items back. */
  readonly restock: boolean | null;
};

export type InitiateRefundError =
  | InvalidInput
  | NotFound
  | Forbidden
  | NotRefundable
  | InitiatorMissing
  | PayoutConfigMissing
  | PayoutLimitExceeded
  | RefundRefused;

type Send =
  | { readonly kind: "reversal"; readonly account: B2cAccount; readonly token: string }
  | { readonly kind: "b2c"; readonly payout: Payout; readonly account: B2cAccount; readonly token: string };

type RefundRepositoryNames =
  | "c2bPayments"
  | "outbox"
  | "paymentConfigs"
  | "payoutConfigs"
  | "payoutEvents"
  | "payouts"
  | "products"
  | "refunds"
  | "sales";

/** The most a reason may hold. */
export const REFUND_REASON_MAX = 200;

/**
 * An owner or manager gives money back for a paid sale or C2B payment.
 *
 * In one transaction, with the payment's receipt locked (one lock row per receipt, whichever resource the refund
 * is asked through), it sums the receipt's pending and completed refunds, decides how the refund is made
 * (Refund.plan: the whole payment is a Reversal, less is a B2C payment to the prompt's phone), checks the
 * initiator, or the payout config and its limits (its row locked, as a payout does), and stores the refund
 * `pending` with its own token, and for B2C its payout. No transaction is open while Daraja is called. Only a
 * definite refusal fails it; an answer that does not say leaves it pending for its result or the reconciler's
 * Transaction Status query.
 */
export class InitiateRefund {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<RefundRepositoryNames>;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly callbackSecrets: CallbackSecrets;
      readonly secretBox: SecretBox;
      readonly callbackUrl: string;
    },
  ) {}

  async execute(input: InitiateRefundInput): Promise<Result<Refund, InitiateRefundError>> {
    const secret = this.deps.callbackSecrets.issue();
    const stored = await this.deps.uow.run((r) => this.store(r, input, secret));
    if (!stored.ok) {
      return stored;
    }
    const { refund, send } = stored.value;
    return send.kind === "reversal" ? this.sendReversal(refund, send) : this.sendB2c(refund, send);
  }

  private async store(
    r: Pick<Repositories, RefundRepositoryNames>,
    input: InitiateRefundInput,
    secret: { token: string; hash: string },
  ): Promise<Result<{ refund: Refund; send: Send }, InitiateRefundError>> {
    const found = await this.payment(r, input);
    if (!found.ok) {
      return found;
    }
    const { sale, c2b, receipt, businessId } = found.value;
    await r.refunds.lockReceipt(businessId, receipt);
    // Read again under the receipt's lock: what is left cannot change now until this transaction ends.
    const alreadyRefunded = await r.refunds.sumHeldByReceipt(businessId, receipt);
    const paidByPrompt = sale !== null && (c2b === null || c2b.matchedSaleId !== sale.id);
    const plan = Refund.plan(
      {
        status: sale === null ? "paid" : sale.status,
        amount: sale?.amount.value ?? c2b?.amount.value ?? 0,
        receipt,
        phoneKnown: paidByPrompt,
        alreadyRefunded,
      },
      input.amount?.value ?? null,
    );
    if (!plan.ok) {
      return plan;
    }
    const { method } = plan.value;
    if (input.restock === true && (method !== "reversal" || sale === null)) {
      return err(
        invalid("restock", "only a full refund of a sale with items can put its items back in stock"),
      );
    }
    const now = this.deps.clock.now();
    const amount = Kes.restore(plan.value.amount);
    const reason = input.reason;
    const refundId = this.deps.ids.next();
    const common = {
      id: refundId,
      businessId,
      requestedBy: personId(input.access.actor),
      saleId: sale?.id ?? null,
      c2bPaymentId: c2b?.id ?? null,
      originalReceipt: receipt,
      amount,
      reason,
      restock: method === "reversal" && sale !== null && sale.items.length > 0 && input.restock !== false,
      createdAt: now,
    };

    if (method === "reversal") {
      const config = await this.reversalConfig(r, sale, businessId);
      const account = config === null ? null : await initiatorAccountFor(config, this.deps.secretBox);
      if (config === null || account === null) {
        return err({ type: "initiator_missing" });
      }
      const refund = Refund.create({
        ...common,
        method,
        payoutId: null,
        paymentConfigId: config.id,
        originatorConversationId: this.deps.ids.next(),
        callbackTokenHash: secret.hash,
      });
      await r.refunds.add(refund);
      return ok({ refund, send: { kind: "reversal", account, token: secret.token } });
    }

    // A partial refund is a B2C payment: the payout config's row is locked while the day's payouts are summed.
    const config = await r.payoutConfigs.findActiveByBusiness(businessId, { lock: true });
    if (config === null) {
      return err({ type: "payout_config_missing" });
    }
    const withinLimits = await checkPayoutLimits(r, config, amount, now);
    if (!withinLimits.ok) {
      return withinLimits;
    }
    if (sale === null) {
      throw new Error("a partial refund is only planned for a sale paid by its prompt");
    }
    const account = await b2cAccountFor(config, this.deps.secretBox);
    const remarks = PayoutRemarks.parse(`Refund ${sale.reference.value}`);
    const payout = Payout.create({
      id: this.deps.ids.next(),
      businessId,
      requestedBy: personId(input.access.actor),
      payoutConfigId: config.id,
      amount,
      phone: sale.phone,
      remarks: remarks.ok ? remarks.value : null,
      originatorConversationId: this.deps.ids.next(),
      callbackTokenHash: secret.hash,
      createdAt: now,
    });
    await r.payouts.add(payout);
    await r.payoutEvents.append({
      id: this.deps.ids.next(),
      payoutId: payout.id,
      at: now,
      type: "requested",
      detail: {
        requestedBy: personId(input.access.actor),
        refundId,
        amount: amount.value,
        phone: payout.phone.value,
        commandId: payout.commandId,
        remarks: payout.remarks,
        shortcode: config.shortcode.value,
        initiatorName: config.initiatorName,
        originatorConversationId: payout.originatorConversationId,
      },
    });
    const refund = Refund.create({
      ...common,
      method,
      payoutId: payout.id,
      paymentConfigId: null,
      originatorConversationId: payout.originatorConversationId,
      callbackTokenHash: null,
    });
    await r.refunds.add(refund);
    return ok({ refund, send: { kind: "b2c", payout, account, token: secret.token } });
  }

  /** The payment asked about, the caller's right to refund it, and its partner of the same receipt. */
  private async payment(
    r: Pick<Repositories, "c2bPayments" | "sales">,
    input: InitiateRefundInput,
  ): Promise<
    Result<
      { sale: Sale | null; c2b: C2bPayment | null; receipt: string; businessId: string },
      NotFound | Forbidden | NotRefundable
    >
  > {
    const { target, access } = input;
    if (target.kind === "sale") {
      const sale = await r.sales.findById(target.id);
      if (sale === null) {
        return err(notFound("sale"));
      }
      const allowed = authorizeResource(access, sale.businessId, "sale");
      if (!allowed.ok) {
        return allowed;
      }
      if (sale.status !== "paid") {
        return err({ type: "not_refundable", reason: `the sale is ${sale.status}, not paid` });
      }
      if (sale.mpesaReceipt === null) {
        return err(Refund.withoutReceipt());
      }
      const c2b = await r.c2bPayments.findByReceipt(sale.mpesaReceipt);
      return ok({
        sale,
        c2b: c2b !== null && c2b.businessId === sale.businessId ? c2b : null,
        receipt: sale.mpesaReceipt,
        businessId: sale.businessId,
      });
    }
    const c2b = await r.c2bPayments.findById(target.id);
    if (c2b === null) {
      return err(notFound("C2B payment"));
    }
    const allowed = authorizeResource(access, c2b.businessId, "C2B payment");
    if (!allowed.ok) {
      return allowed;
    }
    const matched = c2b.matchedSaleId === null ? null : await r.sales.findById(c2b.matchedSaleId);
    const sale = matched !== null && matched.mpesaReceipt === c2b.receipt ? matched : null;
    return ok({ sale, c2b, receipt: c2b.receipt, businessId: c2b.businessId });
  }

  /** A sale's own config (the shortcode its money reached); for a C2B payment, the business's active one. */
  private async reversalConfig(
    r: Pick<Repositories, "paymentConfigs">,
    sale: Sale | null,
    businessId: string,
  ): Promise<PaymentConfig | null> {
    if (sale !== null) {
      const own = await r.paymentConfigs.findById(sale.paymentConfigId);
      if (own !== null && own.initiator !== null) {
        return own;
      }
    }
    return r.paymentConfigs.findActiveByBusiness(businessId);
  }

  private async sendReversal(
    refund: Refund,
    send: Extract<Send, { kind: "reversal" }>,
  ): Promise<Result<Refund, InitiateRefundError>> {
    const originatorConversationId = refund.originatorConversationId ?? refund.id;
    const sent = await this.deps.gateway.reverse({
      account: send.account,
      originatorConversationId,
      receipt: refund.originalReceipt,
      amount: refund.amount,
      remarks: "Refund",
      ...reversalUrlsFor(this.deps.callbackUrl, send.token),
    });
    if (!sent.ok && sent.error.type === "outcome_unknown") {
      // Daraja may have taken it: pending (push outcome unknown) until its result or a status query.
      return ok((await this.deps.uow.read((r) => r.refunds.findById(refund.id))) ?? refund);
    }
    const recorded = await this.deps.uow.run(async (r) => {
      const current = await r.refunds.findById(refund.id, { lock: true });
      if (current === null) {
        throw new Error(`refund ${refund.id} vanished`);
      }
      if (sent.ok) {
        current.recordAcceptance({
          conversationId: sent.value.conversationId,
          originatorConversationId: sent.value.originatorConversationId,
        });
      } else if (sent.error.type === "already_accepted") {
        // Daraja already has a request with this id: an earlier one was taken. Pending, for its result.
        current.recordAcceptance({ conversationId: null, originatorConversationId: null });
      } else {
        current.markRequestRefused(sent.error.message, this.deps.clock.now());
      }
      await saveRefund(r, current, { now: this.deps.clock.now(), ids: this.deps.ids });
      return current;
    });
    if (sent.ok || isAmbiguous(sent.error)) {
      return ok(recorded);
    }
    return err({ type: "refund_refused", failure: sent.error });
  }

  private async sendB2c(
    refund: Refund,
    send: Extract<Send, { kind: "b2c" }>,
  ): Promise<Result<Refund, InitiateRefundError>> {
    const { payout } = send;
    const sent = await this.deps.gateway.b2cPayment({
      account: send.account,
      originatorConversationId: payout.originatorConversationId,
      commandId: payout.commandId,
      amount: payout.amount,
      phone: payout.phone,
      remarks: payout.remarks,
      ...b2cUrlsFor(this.deps.callbackUrl, send.token),
    });
    const now = this.deps.clock.now();
    const recorded = await this.deps.uow.run(async (r) => {
      const current = await r.payouts.findById(payout.id, { lock: true });
      if (current === null) {
        throw new Error(`payout ${payout.id} vanished`);
      }
      const event = (
        type: "sent" | "refused" | "outcome_unknown" | "duplicate",
        detail: Record<string, string>,
      ) => r.payoutEvents.append({ id: this.deps.ids.next(), payoutId: payout.id, at: now, type, detail });
      if (sent.ok) {
        current.recordAcceptance(sent.value.conversationId);
        await event("sent", { conversationId: sent.value.conversationId });
      } else if (sent.error.type === "outcome_unknown") {
        await event("outcome_unknown", { message: sent.error.message });
      } else if (sent.error.type === "already_accepted") {
        current.recordDuplicateAccepted();
        await event("duplicate", { message: sent.error.message });
      } else {
        current.markRequestRefused(sent.error.message, now);
        await event("refused", { failure: sent.error.type, message: sent.error.message });
      }
      await r.payouts.update(current);
      // Settles the refund too when the payout's status changed (see settleRefundOfPayout).
      await recordPayoutChange(r, current, { now, ids: this.deps.ids }, refundsFollowPayouts);
      const latest = await r.refunds.findById(refund.id, { lock: true });
      if (latest === null) {
        throw new Error(`refund ${refund.id} vanished`);
      }
      if (latest.status === "pending") {
        latest.followPushOutcome(current.pushOutcome);
        await r.refunds.update(latest);
      }
      return latest;
    });
    if (sent.ok || isAmbiguous(sent.error)) {
      return ok(recorded);
    }
    return err({ type: "refund_refused", failure: sent.error });
  }
}
