import type { CallbackDisposition } from "../ports/callback-audit-repository.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { Repositories, UnitOfWork } from "../ports/unit-of-work.ts";
import type { C2bNotification } from "../shared/daraja-notifications.ts";
import type { StkPaymentKinds } from "../stk/stk-payment-kinds.ts";
import { type C2bRecording, recordC2bPayment } from "./record-c2b-payment.ts";

const DISPOSITION: Record<C2bRecording["type"], CallbackDisposition> = {
  recorded: "applied",
  duplicate: "no_change",
  conflict: "flagged",
};

export type ReceivedC2bConfirmation = {
  readonly recordId: string;
  /**
   * Set when the token was unknown but the shortcode is a registered business's with an initiator: the caller asks
   * Transaction Status (ConfirmC2bPayment) with this check, whose result URL carries `token`.
   */
  readonly toConfirm: { readonly checkId: string; readonly token: string } | null;
  /** Whether the URL carried a business's registered token. */
  readonly trusted: boolean;
  readonly disposition: CallbackDisposition;
  /** The payment it recorded or concerned, when there is one. */
  readonly paymentId: string | null;
};

/**
 * A C2B confirmation from Safaricom on a business's confirmation URL. Stored for audit in every case, in the
 * transaction that records it:
 * - with a registered token, a well-formed confirmation is recorded once per receipt (see recordC2bPayment);
 * - one whose fields PayMe cannot take (missing, non-numeric or fractional amounts, junk lengths) is only audited;
 * - one on an unknown token is not trusted: nothing is credited as it stands. When its shortcode is a registered
 *   business's whose config keeps an initiator, a check is kept for a Transaction Status query to confirm it
 *   (ConfirmC2bPayment, then ReceiveC2bStatusResult); otherwise it is only audited.
 */
export class ReceiveC2bConfirmation {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly callbackSecrets: CallbackSecrets;
      readonly stkKinds: StkPaymentKinds;
    },
  ) {}

  async execute(input: {
    readonly token: string;
    /** Null when the body is not a confirmation PayMe can record. */
    readonly notification: C2bNotification | null;
    readonly body: unknown;
    readonly path: string;
  }): Promise<ReceivedC2bConfirmation> {
    const tokenHash = this.deps.callbackSecrets.hashOf(input.token);
    const now = this.deps.clock.now();
    return this.deps.uow.run(async (r) => {
      const recordId = this.deps.ids.next();
      const registration = await r.c2bRegistrations.findByTokenHash(tokenHash);
      let disposition: CallbackDisposition;
      let paymentId: string | null = null;
      let toConfirm: ReceivedC2bConfirmation["toConfirm"] = null;
      if (registration === null) {
        disposition = "unknown_payment";
        const checkable = input.notification === null ? null : await this.checkable(r, input.notification);
        if (checkable !== null && input.notification !== null) {
          const secret = this.deps.callbackSecrets.issueHex();
          const checkId = this.deps.ids.next();
          await r.c2bChecks.add({
            id: checkId,
            businessId: checkable,
            tokenHash: secret.hash,
            notification: input.notification,
            auditRecordId: recordId,
            status: "pending",
            createdAt: now,
          });
          disposition = "awaiting_confirmation";
          toConfirm = { checkId, token: secret.token };
        }
      } else if (input.notification === null) {
        disposition = "invalid";
      } else {
        const recording = await recordC2bPayment(
          r,
          { stkKinds: this.deps.stkKinds, context: { now, ids: this.deps.ids } },
          { businessId: registration.businessId, notification: input.notification, source: "confirmation" },
        );
        disposition = DISPOSITION[recording.type];
        paymentId = recording.payment.id;
      }
      await r.callbackAudit.record({
        id: recordId,
        receivedAt: now,
        kind: "c2b_confirmation",
        path: input.path,
        trusted: registration !== null,
        checkoutRequestId: null,
        paymentRef: paymentId === null ? null : `c2b_payment:${paymentId}`,
        disposition,
        body: input.body,
      });
      return { recordId, trusted: registration !== null, disposition, paymentId, toConfirm };
    });
  }

  /** The business a confirmation's shortcode is registered to, when its config can ask Transaction Status. */
  private async checkable(r: Repositories, notification: C2bNotification): Promise<string | null> {
    const registration = await r.c2bRegistrations.findByShortcode(notification.shortcode);
    if (registration === null) {
      return null;
    }
    const config = await r.paymentConfigs.findActiveByBusiness(registration.businessId);
    return config?.initiator === null || config === null ? null : registration.businessId;
  }
}
