import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { B2cResult } from "../shared/daraja-notifications.ts";
import type { StkPaymentKinds } from "../stk/stk-payment-kinds.ts";
import { recordC2bPayment } from "./record-c2b-payment.ts";

/**
 * The Transaction Status result for a check of an untrusted C2B confirmation, on the check's own result URL. The
 * confirmation is recorded (as a confirmation with the right token would be) only when M-Pesa completed a payment
 * with the same receipt and amount to the business's shortcode (the paybill, the till or its store number);
 * otherwise it stays audited only. Applied once: a check already settled changes nothing. Stored for audit in
 * every case.
 */
export class ReceiveC2bStatusResult {
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
    /** Null for a queue timeout: the query was not answered, and the check stays pending. */
    readonly result: B2cResult | null;
    readonly body: unknown;
    readonly path: string;
  }): Promise<{ readonly confirmed: boolean }> {
    const now = this.deps.clock.now();
    return this.deps.uow.run(async (r) => {
      const check = await r.c2bChecks.findByTokenHash(this.deps.callbackSecrets.hashOf(input.token), {
        lock: true,
      });
      let confirmed = false;
      let paymentRef: string | null = null;
      if (check !== null && check.status === "pending" && input.result !== null) {
        const config = await r.paymentConfigs.findActiveByBusiness(check.businessId);
        const registration = await r.c2bRegistrations.findByBusiness(check.businessId);
        const shortcodes = [
          registration?.shortcode,
          config?.shortcode.value,
          config?.storeNumber.value,
        ].filter((code): code is string => code !== undefined);
        const { result } = input;
        const creditParty = String(result.parameters.CreditPartyName ?? "");
        confirmed =
          result.resultCode === "0" &&
          result.receipt?.toUpperCase() === check.notification.receipt &&
          result.amount === check.notification.amount &&
          (result.transactionStatus ?? "Completed") === "Completed" &&
          shortcodes.some((code) => creditParty.startsWith(code));
        if (confirmed) {
          const recording = await recordC2bPayment(
            r,
            { stkKinds: this.deps.stkKinds, context: { now, ids: this.deps.ids } },
            { businessId: check.businessId, notification: check.notification, source: "status_query" },
          );
          paymentRef = `c2b_payment:${recording.payment.id}`;
        }
        await r.c2bChecks.settle(check.id, confirmed ? "confirmed" : "unconfirmed");
        await r.callbackAudit.updateDisposition(
          check.auditRecordId,
          confirmed ? "confirmed" : "unconfirmed",
          paymentRef,
        );
      }
      await r.callbackAudit.record({
        id: this.deps.ids.next(),
        receivedAt: now,
        kind: "c2b_status_result",
        path: input.path,
        trusted: check !== null,
        checkoutRequestId: null,
        paymentRef,
        disposition:
          check === null
            ? "unknown_payment"
            : confirmed
              ? "confirmed"
              : input.result === null
                ? "no_change"
                : "unconfirmed",
        body: input.body,
      });
      return { confirmed };
    });
  }
}
