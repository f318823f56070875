import type { Payout } from "../../domain/payout.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { B2cAccount, PaymentGateway } from "../ports/payment-gateway.ts";
import type { PayoutEvent } from "../ports/payout-event-repository.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { b2cAccountFor } from "../shared/b2c-account.ts";
import type { PayoutStatusQuerySettings } from "../shared/payout-outcome.ts";
import { statusUrlsFor } from "../shared/payout-urls.ts";

export type PayoutStatusQueryRun = {
  /** Payouts claimed and asked about. */
  readonly claimed: number;
  /** Queries Daraja accepted: their results settle the payouts, through /api/mpesa/status/result/<token>. */
  readonly sent: number;
  /** Queries Daraja refused or did not answer: asked again after the grace period. */
  readonly refused: number;
};

type Due = { readonly payout: Payout; readonly account: B2cAccount; readonly token: string };

/**
 * Settles payouts whose result never came by asking Daraja (Transaction Status, by OriginatorConversationID),
 * for the reconciler to run periodically. It only ever asks: a B2C payment is never sent again.
 *
 * 1. In one short transaction, it claims the due payouts (pending, past the grace period or queue-timed-out, not
 *    asked within the grace period, not given up on) with FOR UPDATE SKIP LOCKED, and stamps each with a fresh
 *    status token (only its hash is kept) and the time, so that no other instance asks again before the grace
 *    period is over.
 * 2. With no transaction open, it sends one query per payout, through the payout config (shortcode and
 *    initiator) that sent the payout, with result URL `/api/mpesa/status/result/<token>`.
 * 3. It records what Daraja answered in the payout's story. The result callback (ReceivePayoutCallback) settles
 *    the payout.
 */
export class QueryPendingPayouts {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"payoutConfigs" | "payoutEvents" | "payouts">;
      readonly ids: IdGenerator;
      /** Times the events of the story; `now` decides what is due. */
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly callbackSecrets: CallbackSecrets;
      readonly secretBox: SecretBox;
      /** MPESA_CALLBACK_URL: status URLs are built on its origin. */
      readonly callbackUrl: string;
      readonly payoutStatusQueries: PayoutStatusQuerySettings;
    },
  ) {}

  async execute(input: { readonly now: Date; readonly limit: number }): Promise<PayoutStatusQueryRun> {
    const { now, limit } = input;
    const { graceSeconds, giveUpAfterSeconds } = this.deps.payoutStatusQueries;
    const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
    const due = await this.deps.uow.run(async (r) => {
      const claimed = await r.payouts.claimForStatusQuery({
        createdBefore: ago(graceSeconds),
        createdAfter: ago(giveUpAfterSeconds),
        queriedBefore: ago(graceSeconds),
        limit,
      });
      const ready: Due[] = [];
      for (const payout of claimed) {
        const config = await r.payoutConfigs.findById(payout.payoutConfigId);
        if (config === null) {
          throw new Error(`payout ${payout.id} names payout config ${payout.payoutConfigId}, which is gone`);
        }
        const secret = this.deps.callbackSecrets.issue();
        if (!payout.recordStatusQuery(secret.hash, now).ok) {
          continue;
        }
        await r.payouts.update(payout);
        ready.push({
          payout,
          account: await b2cAccountFor(config, this.deps.secretBox),
          token: secret.token,
        });
      }
      return ready;
    });

    let sent = 0;
    for (const { payout, account, token } of due) {
      const answer = await this.deps.gateway.transactionStatus({
        account,
        originatorConversationId: payout.originatorConversationId,
        ...statusUrlsFor(this.deps.callbackUrl, token),
      });
      const event: Pick<PayoutEvent, "type" | "detail"> = answer.ok
        ? {
            type: "status_query_sent",
            detail: {
              conversationId: answer.value.conversationId,
              queryOriginatorConversationId: answer.value.originatorConversationId,
            },
          }
        : {
            type: "status_query_refused",
            detail: { failure: answer.error.type, message: answer.error.message },
          };
      await this.deps.uow.run((r) =>
        r.payoutEvents.append({
          id: this.deps.ids.next(),
          payoutId: payout.id,
          at: this.deps.clock.now(),
          ...event,
        }),
      );
      sent += answer.ok ? 1 : 0;
    }
    return { claimed: due.length, sent, refused: due.length - sent };
  }
}
