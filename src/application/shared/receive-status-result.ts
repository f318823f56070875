import type { LookupOutcome, LookupQuery } from "../../domain/lookup-query.ts";
import type { Payout } from "../../domain/payout.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { B2cResult } from "./daraja-notifications.ts";
import {
  type ReceivedTokenCallback,
  receiveTokenCallback,
  type TokenCallbackDeps,
  type TokenCallbackInput,
  type TokenCallbackKind,
  UNKNOWN_TARGET,
} from "./token-callback.ts";

/**
 * A Transaction Status result or queue timeout on the status paths, read both ways its owner may need it: as a
 * payout reads it (the B2C-shaped result), and as a look-up does (its outcome).
 */
export type StatusCallback =
  | { readonly kind: "status_result"; readonly result: B2cResult; readonly outcome: LookupOutcome }
  | { readonly kind: "status_timeout"; readonly outcome: LookupOutcome };

/** The kinds that own status tokens, registered at the composition root. */
export type StatusTokenKinds = {
  readonly payout: TokenCallbackKind<Payout, StatusCallback, Repositories>;
  readonly lookup: TokenCallbackKind<LookupQuery, StatusCallback, Repositories>;
};

/** What became of a status result, and whose token it carried (`payout` also when none's: see ReceiveStatusResult). */
export type ReceivedStatusResult = ReceivedTokenCallback & { readonly owner: "payout" | "lookup" };

/**
 * A Transaction Status result or queue timeout on `/api/mpesa/status/…`, the paths the reconciler's payout status
 * queries and people's look-ups share. One read finds the token's owner, locked, whatever its kind (see
 * StatusTokenRepository), and the owner's kind applies the callback; it is stored for audit in the same
 * transaction. A token nobody has is the payout kind's to record (it may name the payout it claims).
 */
export class ReceiveStatusResult {
  constructor(
    private readonly deps: TokenCallbackDeps<keyof Repositories> & { readonly kinds: StatusTokenKinds },
  ) {}

  async execute(
    input: TokenCallbackInput & { readonly callback: StatusCallback },
  ): Promise<ReceivedStatusResult> {
    const { callback } = input;
    const { kinds } = this.deps;
    let owner: ReceivedStatusResult["owner"] = "payout";
    const received = await receiveTokenCallback(this.deps, input, {
      auditKind: callback.kind,
      locate: async (r, hash) => {
        const found = await r.statusTokens.findOwner(hash, { lock: true });
        owner = found?.kind ?? "payout";
        if (found === null) {
          return null;
        }
        return found.kind === "payout"
          ? kinds.payout.target(found.payout, callback)
          : kinds.lookup.target(found.query, callback);
      },
      untrusted: async (r) => (await kinds.payout.untrusted?.(r, callback)) ?? UNKNOWN_TARGET,
    });
    return { ...received, owner };
  }
}
