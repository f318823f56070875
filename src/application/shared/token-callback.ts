import type { CallbackDisposition, CallbackRecord } from "../ports/callback-audit-repository.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { Repositories, RepositoryName, UnitOfWork } from "../ports/unit-of-work.ts";

/**
 * A callback's target, found by the token in its URL and locked: how the audit record names it, and how the
 * callback moves it.
 */
export type TokenCallbackTarget<R> = {
  readonly id: string;
  /** How audit records name it: `payout:<id>`, `refund:<id>`, … */
  readonly ref: string;
  /** Applies the callback to the target and saves what changed, in the receiving transaction. */
  readonly apply: (r: R, now: Date) => Promise<CallbackDisposition>;
};

/** What became of a callback, and the payment it is (or, untrusted, claims to be) about. */
export type CallbackOutcome = {
  readonly disposition: CallbackDisposition;
  readonly paymentRef: string | null;
};

/** No target, and nothing to say which one it claims: the usual untrusted callback. */
export const UNKNOWN_TARGET: CallbackOutcome = { disposition: "unknown_payment", paymentRef: null };

/** What became of a received callback, and its audit record. */
export type ReceivedCallback = CallbackOutcome & {
  readonly recordId: string;
  /** Whether the URL carried the token of a target. */
  readonly trusted: boolean;
};

export type ReceivedTokenCallback = ReceivedCallback & {
  /** The target's id, when trusted. */
  readonly targetId: string | null;
};

/**
 * How one kind of target (a payout, a refund, a look-up) takes a callback `C` once it is found: registered at the
 * composition root where one URL serves several kinds.
 */
export type TokenCallbackKind<T, C, R> = {
  readonly target: (found: T, callback: C) => TokenCallbackTarget<R>;
  /** What a callback no target of the kind has the token of is recorded as (UNKNOWN_TARGET when not said). */
  readonly untrusted?: (r: R, callback: C) => Promise<CallbackOutcome>;
};

/** How one callback is received: what the audit calls it, how its target is found, and what an untrusted one is. */
export type TokenCallbackHandling<R> = {
  readonly auditKind: CallbackRecord["kind"];
  /** The target whose token has this hash, locked until the transaction ends; null when none has. */
  readonly locate: (r: R, hash: string) => Promise<TokenCallbackTarget<R> | null>;
  /** UNKNOWN_TARGET when not said. */
  readonly untrusted?: (r: R) => Promise<CallbackOutcome>;
};

export type TokenCallbackInput = {
  /** The token in the callback's URL. */
  readonly token: string;
  readonly body: unknown;
  /** The request path, token masked. */
  readonly path: string;
};

/** Rows found by the token of their own callbacks, or by that of their latest status query. */
type TokenStore<T> = {
  findByCallbackTokenHash(hash: string, options?: { lock?: boolean }): Promise<T | null>;
  findByStatusTokenHash(hash: string, options?: { lock?: boolean }): Promise<T | null>;
};

/**
 * The row a callback's token hash names, locked until the transaction ends: a Transaction Status callback's
 * token is the row's latest status query's, any other the row's own.
 */
export function findLockedByToken<T>(
  store: TokenStore<T>,
  callback: { readonly kind: string },
  hash: string,
): Promise<T | null> {
  return callback.kind === "status_result" || callback.kind === "status_timeout"
    ? store.findByStatusTokenHash(hash, { lock: true })
    : store.findByCallbackTokenHash(hash, { lock: true });
}

export type TokenCallbackDeps<K extends RepositoryName> = {
  readonly uow: UnitOfWork<K | "callbackAudit">;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly callbackSecrets: CallbackSecrets;
};

/**
 * A callback on a per-target token URL (a B2C, Reversal, Transaction Status or Account Balance result): the
 * token's hash finds the target, locked, the callback is applied to it, and the callback is stored for audit, all
 * in one transaction: a result delivered twice, or two at once, changes the target once. An unknown token is
 * never trusted: nothing changes, and the callback is recorded as `handling.untrusted` says.
 */
export function receiveTokenCallback<K extends RepositoryName>(
  deps: TokenCallbackDeps<K>,
  input: TokenCallbackInput,
  handling: TokenCallbackHandling<Pick<Repositories, K | "callbackAudit">>,
): Promise<ReceivedTokenCallback> {
  const hash = deps.callbackSecrets.hashOf(input.token);
  return deps.uow.run(async (r) => {
    const now = deps.clock.now();
    const recordId = deps.ids.next();
    const target = await handling.locate(r, hash);
    const { disposition, paymentRef } =
      target === null
        ? ((await handling.untrusted?.(r)) ?? UNKNOWN_TARGET)
        : { disposition: await target.apply(r, now), paymentRef: target.ref };
    await r.callbackAudit.record({
      id: recordId,
      receivedAt: now,
      kind: handling.auditKind,
      path: input.path,
      trusted: target !== null,
      checkoutRequestId: null,
      paymentRef,
      disposition,
      body: input.body,
    });
    return { recordId, trusted: target !== null, disposition, paymentRef, targetId: target?.id ?? null };
  });
}
