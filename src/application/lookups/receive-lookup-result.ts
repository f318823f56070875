import { type LookupOutcome, type LookupQuery, settleLookup } from "../../domain/lookup-query.ts";
import type { CallbackDisposition } from "../ports/callback-audit-repository.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import {
  receiveTokenCallback,
  type TokenCallbackDeps,
  type TokenCallbackInput,
  type TokenCallbackKind,
} from "../shared/token-callback.ts";

/** A callback about a look-up, as the Daraja adapter read it; `outcome` null: it says nothing PayMe can apply. */
export type LookupCallback = {
  readonly kind: "status_result" | "status_timeout" | "balance_result" | "balance_timeout";
  readonly outcome: LookupOutcome;
};

export type ReceivedLookupResult = {
  /** Whether a look-up has this token. */
  readonly known: boolean;
  readonly disposition: CallbackDisposition;
  readonly queryId: string | null;
};

/** What the query's reference in the audit record starts with. */
const REF_PREFIX = { transaction_status: "status_query", account_balance: "balance_query" } as const;

/**
 * How a look-up takes its result once the token found it (locked): the first result settles it (completed with
 * the transaction or balance, or failed with M-Pesa's reason), and a duplicate or late one changes nothing. A
 * queue timeout fails the query: M-Pesa will not answer it, and the person may ask again.
 */
export const lookupResultKind: TokenCallbackKind<
  LookupQuery,
  LookupCallback,
  Pick<Repositories, "lookupQueries">
> = {
  target: (query, callback) => ({
    id: query.id,
    ref: `${REF_PREFIX[query.kind]}:${query.id}`,
    apply: async (r, now) => {
      const settled = settleLookup(query, callback.outcome, now);
      if (settled === null) {
        return "no_change";
      }
      await r.lookupQueries.update(settled);
      return "applied";
    },
  }),
};

/**
 * A Transaction Status or Account Balance result (or queue timeout) on a look-up's own URL, the token alone
 * identifying the query (see lookupResultKind). Stored for audit in the same transaction, with the query locked;
 * an unknown token is audited as such.
 *
 * The HTTP Transaction Status paths, which payouts share, are received by ReceiveStatusResult, with the same
 * look-up kind; this receives the Account Balance paths.
 */
export class ReceiveLookupResult {
  constructor(private readonly deps: TokenCallbackDeps<"lookupQueries">) {}

  async execute(
    input: TokenCallbackInput & { readonly callback: LookupCallback },
  ): Promise<ReceivedLookupResult> {
    const { callback } = input;
    const received = await receiveTokenCallback(this.deps, input, {
      auditKind: callback.kind,
      locate: async (r, hash) => {
        const query = await r.lookupQueries.findByTokenHash(hash, { lock: true });
        return query === null ? null : lookupResultKind.target(query, callback);
      },
    });
    return { known: received.trusted, disposition: received.disposition, queryId: received.targetId };
  }
}
