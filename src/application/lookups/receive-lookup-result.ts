import { type LookupOutcome, settleLookup } from "../../domain/lookup-query.ts";
import type { CallbackDisposition, CallbackRecord } from "../ports/callback-audit-repository.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

/** A callback about a look-up, as the Daraja adapter read it; `outcome` null: it says nothing PayMe can apply. */
export type LookupCallback = {
  readonly kind: "status_result" | "status_timeout" | "balance_result" | "balance_timeout";
  readonly outcome: LookupOutcome;
};

export type ReceivedLookupResult = {
  /** False when no look-up has this token (a status URL's token may be a payout's: its receiver decides). */
  readonly known: boolean;
  readonly disposition: CallbackDisposition;
  readonly queryId: string | null;
};

/** What the query's reference in the audit record starts with. */
const REF_PREFIX = { transaction_status: "status_query", account_balance: "balance_query" } as const;

/**
 * A Transaction Status or Account Balance result (or queue timeout) on a look-up's own URL. The token alone
 * identifies the query; the first result settles it (completed with the transaction or balance, or failed with
 * M-Pesa's reason), and a duplicate or late one changes nothing. A queue timeout fails the query: M-Pesa will
 * not answer it, and the person may ask again. Stored for audit in the same transaction, with the query locked.
 *
 * On a status URL, a token no look-up has is left to the payout receiver (`known: false`, nothing stored); on a
 * balance URL it is audited as an unknown token.
 */
export class ReceiveLookupResult {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"lookupQueries" | "callbackAudit">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly callbackSecrets: CallbackSecrets;
    },
  ) {}

  execute(input: {
    readonly token: string;
    readonly callback: LookupCallback;
    readonly body: unknown;
    /** The request path, token masked. */
    readonly path: string;
  }): Promise<ReceivedLookupResult> {
    const { callback } = input;
    const onStatusPath = callback.kind === "status_result" || callback.kind === "status_timeout";
    const hash = this.deps.callbackSecrets.hashOf(input.token);
    return this.deps.uow.run(async (r) => {
      const query = await r.lookupQueries.findByTokenHash(hash, { lock: true });
      if (query === null && onStatusPath) {
        return { known: false, disposition: "unknown_payment", queryId: null };
      }
      const now = this.deps.clock.now();
      let disposition: CallbackDisposition = "unknown_payment";
      if (query !== null) {
        const settled = settleLookup(query, callback.outcome, now);
        if (settled !== null) {
          await r.lookupQueries.update(settled);
        }
        disposition = settled !== null ? "applied" : "no_change";
      }
      const kind: CallbackRecord["kind"] = callback.kind;
      await r.callbackAudit.record({
        id: this.deps.ids.next(),
        receivedAt: now,
        kind,
        path: input.path,
        trusted: query !== null,
        checkoutRequestId: null,
        paymentRef: query === null ? null : `${REF_PREFIX[query.kind]}:${query.id}`,
        disposition,
        body: input.body,
      });
      return { known: query !== null, disposition, queryId: query?.id ?? null };
    });
  }
}
