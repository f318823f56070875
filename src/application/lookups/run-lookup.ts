import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { LookupQuery } from "../../domain/lookup-query.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import {
  type B2cAccepted,
  type B2cAccount,
  type GatewayFailure,
  isAmbiguous,
  type PaymentGateway,
} from "../ports/payment-gateway.ts";
import type { ResultWaiter } from "../ports/result-waiter.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import type { PaymentConfigMissing } from "../shared/business-push.ts";
import { lookupAccount } from "./lookup-account.ts";
import type { InitiatorMissing, LookupRefused } from "./lookup-errors.ts";
import { lookupUrlsFor } from "./lookup-urls.ts";

/** What a look-up and a balance query take. */
export type LookupDeps = {
  readonly uow: UnitOfWork<"businesses" | "paymentConfigs" | "lookupQueries">;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly gateway: Pick<PaymentGateway, "transactionStatus" | "accountBalance">;
  readonly secretBox: SecretBox;
  readonly callbackSecrets: CallbackSecrets;
  readonly callbackUrl: string;
  readonly waiter: ResultWaiter;
};

export type LookupError =
  | NotFound
  | Forbidden
  | InvalidInput
  | PaymentConfigMissing
  | InitiatorMissing
  | LookupRefused;

/**
 * The steps both look-ups share: the business's shortcode and initiator (checked first: without them nothing is
 * asked), a query recorded with its own callback token, Daraja asked with no transaction open, then a wait for
 * the result callback (which may land on any instance: the waiter polls the query's row).
 *
 * - A definite refusal fails the query and is answered as the refusal (`502`/`503`): nothing was asked.
 * - An unclear answer (a timeout, a 5xx) leaves the query pending: Daraja may still answer it.
 * - The query comes back settled when its result came in time, else still pending.
 */
export async function runLookup<Q extends LookupQuery>(
  deps: LookupDeps,
  input: { readonly access: Access; readonly businessId: string },
  /** The query as this kind of look-up stores it; `narrow` tells it apart from the other kind when read back. */
  build: (base: {
    id: string;
    businessId: string;
    tokenHash: string;
    createdAt: Date;
    shortcode: string;
  }) => Q,
  narrow: (query: LookupQuery) => Q | null,
  ask: (
    account: B2cAccount,
    urls: { resultUrl: string; queueTimeoutUrl: string },
    query: Q,
  ) => Promise<Result<B2cAccepted, GatewayFailure>>,
): Promise<Result<Q, LookupError>> {
  const { token, hash } = deps.callbackSecrets.issue();
  const prepared = await deps.uow.run(async (r) => {
    const found = await lookupAccount(r, deps.secretBox, input.access, input.businessId);
    if (!found.ok) {
      return found;
    }
    const query = build({
      id: deps.ids.next(),
      businessId: found.value.businessId,
      tokenHash: hash,
      createdAt: deps.clock.now(),
      shortcode: found.value.account.shortcode,
    });
    await r.lookupQueries.add(query);
    return ok({ query, account: found.value.account });
  });
  if (!prepared.ok) {
    return prepared;
  }
  const { query, account } = prepared.value;
  const asked = await ask(account, lookupUrlsFor(query.kind, deps.callbackUrl, token), query);
  if (!asked.ok && !isAmbiguous(asked.error)) {
    const failure = asked.error;
    await deps.uow.run(async (r) => {
      const current = await r.lookupQueries.findByTokenHash(query.tokenHash, { lock: true });
      if (current?.status === "pending") {
        await r.lookupQueries.update({
          ...current,
          status: "failed",
          failureReason: failure.message,
          completedAt: deps.clock.now(),
        });
      }
    });
    return err({ type: "lookup_refused", failure });
  }
  const settled = await deps.waiter.waitFor(async () => {
    const current = await deps.uow.read((r) => r.lookupQueries.findById(query.id));
    return current !== null && current.status !== "pending" ? narrow(current) : null;
  });
  if (settled !== null) {
    return ok(settled);
  }
  // Past the wait it may still have settled a moment ago: show the query as it now stands.
  const latest = await deps.uow.read((r) => r.lookupQueries.findById(query.id));
  return ok((latest === null ? null : narrow(latest)) ?? query);
}
