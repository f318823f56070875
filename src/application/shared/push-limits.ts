import type { Msisdn } from "../../domain/msisdn.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PushFilter, PushKind } from "../ports/push-log-repository.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/** How many STK pushes PayMe sends, so that it cannot be used to spam phones or drain Daraja's quota. */
export type PushLimits = {
  /** Pushes to one phone from one business (or from the wallet) younger than 3 minutes (PUSHES_PER_PHONE). */
  readonly perPhone: number;
  /** Wallet pushes one user may ask for in an hour (WALLET_PUSHES_PER_HOUR). */
  readonly walletPerUserPerHour: number;
  /** Verification pushes one user may ask for in an hour (VERIFY_PUSHES_PER_HOUR). */
  readonly verificationsPerUserPerHour: number;
  /** Pushes one business may send in a minute (BUSINESS_PUSHES_PER_MINUTE). */
  readonly perBusinessPerMinute: number;
};

export type PushLimitName = "phone" | "business" | "wallet_per_user" | "verification_per_user";

/** Past a push limit: nothing was sent, reserved or recorded. */
export type PushRateLimited = {
  readonly type: "push_rate_limited";
  readonly limit: PushLimitName;
  /** The limit's number of pushes, and its window. */
  readonly max: number;
  readonly windowSeconds: number;
  /** When a push would be admitted again, as far as this limit goes. */
  readonly retryAfterSeconds: number;
};

/** The push about to be sent, and for whom. */
export type PushAttempt =
  | { readonly kind: "wallet"; readonly userId: string; readonly phone: Msisdn }
  | {
      readonly kind: Exclude<PushKind, "wallet">;
      readonly userId: string;
      readonly businessId: string;
      readonly phone: Msisdn;
    };

const MINUTE_MS = 60_000;
const PHONE_WINDOW_MS = 3 * MINUTE_MS;
const BUSINESS_WINDOW_MS = MINUTE_MS;
const USER_WINDOW_MS = 60 * MINUTE_MS;

/** How long a push stays in the log: the longest window that counts it. */
export const PUSH_LOG_RETENTION_MS = USER_WINDOW_MS;

type Rule = {
  readonly limit: PushLimitName;
  readonly filter: PushFilter;
  readonly windowMs: number;
  readonly max: number;
};

function rulesFor(attempt: PushAttempt, limits: PushLimits): Rule[] {
  const phone = attempt.phone.value;
  if (attempt.kind === "wallet") {
    return [
      {
        limit: "phone",
        filter: { businessId: null, phone },
        windowMs: PHONE_WINDOW_MS,
        max: limits.perPhone,
      },
      {
        limit: "wallet_per_user",
        filter: { kind: "wallet", userId: attempt.userId },
        windowMs: USER_WINDOW_MS,
        max: limits.walletPerUserPerHour,
      },
    ];
  }
  const { businessId } = attempt;
  const rules: Rule[] = [
    { limit: "phone", filter: { businessId, phone }, windowMs: PHONE_WINDOW_MS, max: limits.perPhone },
    {
      limit: "business",
      filter: { businessId },
      windowMs: BUSINESS_WINDOW_MS,
      max: limits.perBusinessPerMinute,
    },
  ];
  if (attempt.kind === "verification") {
    rules.push({
      limit: "verification_per_user",
      filter: { kind: "verification", userId: attempt.userId },
      windowMs: USER_WINDOW_MS,
      max: limits.verificationsPerUserPerHour,
    });
  }
  return rules;
}

/**
 * The locks that make counting and recording one step: every push a rule counts takes at least one of them.
 * A business's pushes share its lock (its per-business and per-phone counts); the wallet's share the phone's
 * and the user's.
 */
function lockKeysFor(attempt: PushAttempt): string[] {
  switch (attempt.kind) {
    case "wallet":
      return [`push:wallet-phone:${attempt.phone.value}`, `push:wallet-user:${attempt.userId}`];
    case "sale":
      return [`push:business:${attempt.businessId}`];
    case "verification":
      return [`push:business:${attempt.businessId}`, `push:verification-user:${attempt.userId}`];
  }
}

/**
 * Admits one STK push within the push limits and records it in the push log, or refuses it, recording nothing.
 * Call it in the transaction that saves the payment, once every other check has passed and before anything is
 * written, so that a refusal leaves no trace. The count and the record happen under locks held until that
 * transaction ends, so concurrent requests (on any instance) cannot both take the last slot.
 */
export async function admitPush(
  r: Pick<Repositories, "pushLog">,
  deps: { readonly pushLimits: PushLimits; readonly ids: IdGenerator; readonly clock: Clock },
  attempt: PushAttempt,
): Promise<Result<void, PushRateLimited>> {
  await r.pushLog.lock(lockKeysFor(attempt));
  // Read after the locks are held: a wait for them must not make the windows older than they are.
  const now = deps.clock.now();
  const rules = rulesFor(attempt, deps.pushLimits);
  // The row is added in the same step as the count, and only when no window is full.
  const { nth, added } = await r.pushLog.addUnlessFull(
    {
      id: deps.ids.next(),
      kind: attempt.kind,
      userId: attempt.userId,
      businessId: attempt.kind === "wallet" ? null : attempt.businessId,
      phone: attempt.phone.value,
      createdAt: now,
    },
    rules.map((rule) => ({
      filter: rule.filter,
      since: new Date(now.getTime() - rule.windowMs),
      nth: rule.max,
    })),
  );
  if (added) {
    return ok();
  }
  let refusal: PushRateLimited | null = null;
  for (const [index, rule] of rules.entries()) {
    const full = nth[index];
    if (full === null || full === undefined) {
      continue;
    }
    // The window has room again once its max-th newest push grows older than the window.
    const retryAfterSeconds = Math.max(1, Math.ceil((full.getTime() + rule.windowMs - now.getTime()) / 1000));
    if (refusal === null || retryAfterSeconds > refusal.retryAfterSeconds) {
      refusal = {
        type: "push_rate_limited",
        limit: rule.limit,
        max: rule.max,
        windowSeconds: rule.windowMs / 1000,
        retryAfterSeconds,
      };
    }
  }
  if (refusal === null) {
    throw new Error("a push was not added to the log, yet no limit was full");
  }
  return err(refusal);
}
