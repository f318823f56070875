import type { Refund } from "../../domain/refund.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { B2cAccount, PaymentGateway } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { PayoutStatusQuerySettings } from "../shared/payout-outcome.ts";
import { initiatorAccountFor } from "./initiator-account.ts";
import { reversalStatusUrlsFor } from "./reversal-urls.ts";

export type RefundStatusQueryRun = {
  readonly claimed: number;
  readonly sent: number;
  readonly refused: number;
};

type Due = { readonly refund: Refund; readonly account: B2cAccount; readonly token: string };

/**
 * Settles reversals whose result never came (an unclear answer, a queue timeout, a lost callback) by asking
 * Daraja's Transaction Status about them, as QueryPendingPayouts does for payouts: due refunds are claimed
 * with FOR UPDATE SKIP LOCKED and stamped with a fresh status token in one short transaction, then asked about
 * with no transaction open, through the initiator of the payment config that sent the reversal. The result
 * (ReceiveReversalCallback) settles the refund. It only ever asks: a reversal is never sent again. Partial (B2C)
 * refunds are settled with their payouts (QueryPendingPayouts).
 */
export class QueryPendingRefunds {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"paymentConfigs" | "refunds">;
      readonly gateway: PaymentGateway;
      readonly callbackSecrets: CallbackSecrets;
      readonly secretBox: SecretBox;
      readonly callbackUrl: string;
      readonly payoutStatusQueries: PayoutStatusQuerySettings;
    },
  ) {}

  async execute(input: { readonly now: Date; readonly limit: number }): Promise<RefundStatusQueryRun> {
    const { now, limit } = input;
    const { graceSeconds, giveUpAfterSeconds } = this.deps.payoutStatusQueries;
    const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
    const due = await this.deps.uow.run(async (r) => {
      const claimed = await r.refunds.claimForStatusQuery({
        createdBefore: ago(graceSeconds),
        createdAfter: ago(giveUpAfterSeconds),
        queriedBefore: ago(graceSeconds),
        limit,
      });
      const ready: Due[] = [];
      for (const refund of claimed) {
        const config =
          refund.paymentConfigId === null ? null : await r.paymentConfigs.findById(refund.paymentConfigId);
        const account = config === null ? null : await initiatorAccountFor(config, this.deps.secretBox);
        if (account === null) {
          continue;
        }
        const secret = this.deps.callbackSecrets.issue();
        if (!refund.recordStatusQuery(secret.hash, now).ok) {
          continue;
        }
        await r.refunds.update(refund);
        ready.push({ refund, account, token: secret.token });
      }
      return ready;
    });
    let sent = 0;
    for (const { refund, account, token } of due) {
      const answer = await this.deps.gateway.transactionStatus({
        account,
        originatorConversationId: refund.originatorConversationId ?? refund.id,
        ...reversalStatusUrlsFor(this.deps.callbackUrl, token),
      });
      sent += answer.ok ? 1 : 0;
    }
    return { claimed: due.length, sent, refused: due.length - sent };
  }
}
