import { describe, expect, it } from "vitest";
import { buildWorld } from "../../../sim/world.ts";
import { PollingResultWaiter } from "../../../src/adapters/background/polling-result-waiter.ts";
import { gatewayAnswers } from "../../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import { CheckBalance } from "../../../src/application/lookups/check-balance.ts";
import { GetLookupQuery } from "../../../src/application/lookups/get-lookup-query.ts";
import { LookUpTransaction } from "../../../src/application/lookups/look-up-transaction.ts";
import {
  type LookupCallback,
  lookupResultKind,
  ReceiveLookupResult,
} from "../../../src/application/lookups/receive-lookup-result.ts";
import { payoutCallbackKind } from "../../../src/application/payouts/receive-payout-callback.ts";
import type { ResultWaiter } from "../../../src/application/ports/result-waiter.ts";
import { refundsFollowPayouts } from "../../../src/application/refunds/refunds-follow-payouts.ts";
import { userActor } from "../../../src/application/shared/actor.ts";
import { ReceiveStatusResult } from "../../../src/application/shared/receive-status-result.ts";
import type { LookupOutcome } from "../../../src/domain/lookup-query.ts";
import { PaymentConfig } from "../../../src/domain/payment-config.ts";
import { SECRET_FIELDS, secretBinding } from "../../../src/domain/sealed-secret.ts";
import { aBusiness, anAccountName, aShortcode, unwrap } from "../../support/builders.ts";

/** Runs `check`, then what `between` does (a callback landing, say), then `check` once more: no timers. */
class StepWaiter implements ResultWaiter {
  between: () => Promise<void> = async () => undefined;
  async waitFor<T>(check: () => Promise<T | null>): Promise<T | null> {
    const first = await check();
    if (first !== null) {
      return first;
    }
    await this.between();
    return check();
  }
}

const TRANSACTION: LookupOutcome = {
  type: "transaction",
  transaction: {
    receipt: "",
    status: "Completed",
    amount: 250,
    debitParty: "254712345678 - JANE",
    creditParty: "600100 - Duka",
    completedAt: new Date("2026-01-05T05:00:00.000Z"),
    reasonType: "Pay Bill Online",
  },
};

async function lookupWorld(options: { initiator?: boolean; role?: "owner" | "manager" | "cashier" } = {}) {
  const world = buildWorld();
  const ownerId = world.ids.next();
  const business = aBusiness(ownerId);
  const initiator =
    options.initiator === false
      ? null
      : {
          name: "apiop",
          password: await world.secretBox.seal(
            "op-password",
            secretBinding(business.id, SECRET_FIELDS.paymentInitiatorPassword),
          ),
        };
  const config = unwrap(
    PaymentConfig.create({
      id: world.ids.next(),
      businessId: business.id,
      method: "till",
      shortcode: aShortcode("5123456"),
      storeNumber: aShortcode("300584"),
      accountReference: null,
      accountName: anAccountName("Duka"),
      passkey: await world.secretBox.seal("pk", secretBinding(business.id, SECRET_FIELDS.passkey)),
      ownApp: null,
      initiator,
      createdAt: world.clock.now(),
    }),
  );
  await world.store.run(async (r) => {
    await r.businesses.add(business);
    await r.paymentConfigs.add(config);
  });
  const waiter = new StepWaiter();
  const deps = {
    uow: world.uow,
    ids: world.ids,
    clock: world.clock,
    gateway: world.gateway,
    secretBox: world.secretBox,
    callbackSecrets: world.callbackSecrets,
    callbackUrl: "https://payme.test/api/mpesa/callback",
    waiter,
  };
  const receive = new ReceiveLookupResult(deps);
  const access = (permission: "transactions:read" = "transactions:read") => ({
    actor: userActor(ownerId, [{ businessId: business.id, role: options.role ?? "owner" }]),
    permission,
  });
  /** The token at the end of the last query's result URL, as Daraja got it. */
  const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);
  return {
    world,
    business,
    waiter,
    access,
    lookUp: new LookUpTransaction(deps),
    checkBalance: new CheckBalance(deps),
    getQuery: new GetLookupQuery(deps),
    receive,
    statusToken: () => tokenOf(String(world.gateway.script.transactionStatus.requests.at(-1)?.resultUrl)),
    balanceToken: () => tokenOf(String(world.gateway.script.accountBalance.requests.at(-1)?.resultUrl)),
    deliver: (token: string, kind: LookupCallback["kind"], outcome: LookupOutcome) =>
      receive.execute({ token, callback: { kind, outcome }, body: { Result: {} }, path: "/api/mpesa/…" }),
  };
}

describe("LookUpTransaction and CheckBalance", () => {
  it("asks Transaction Status about the receipt with the config's initiator, on the till's store number", async () => {
    const w = await lookupWorld();
    w.waiter.between = async () => {
      await w.deliver(w.statusToken(), "status_result", TRANSACTION);
    };
    const query = unwrap(
      await w.lookUp.execute({ access: w.access(), businessId: w.business.id, receipt: "SBK4QUB1VA" }),
    );
    expect(query).toMatchObject({
      kind: "transaction_status",
      status: "completed",
      receipt: "SBK4QUB1VA",
      // A result that names no receipt is about the one asked.
      transaction: { receipt: "SBK4QUB1VA", amount: 250, status: "Completed" },
    });
    const asked = w.world.gateway.script.transactionStatus.last;
    expect(asked).toMatchObject({
      transactionId: "SBK4QUB1VA",
      account: { shortcode: "300584", initiatorName: "apiop", initiatorPassword: "op-password" },
    });
    expect(asked.resultUrl).toMatch(/^https:\/\/payme\.test\/api\/mpesa\/status\/result\/cb-token-\d+$/);
    expect(asked.queueTimeoutUrl).toMatch(/\/api\/mpesa\/status\/timeout\/cb-token-\d+$/);
  });

  it("answers the query still pending when no result came within the wait; it settles when one comes", async () => {
    const w = await lookupWorld();
    const query = unwrap(await w.checkBalance.execute({ access: w.access(), businessId: w.business.id }));
    expect(query).toMatchObject({ kind: "account_balance", status: "pending", shortcode: "300584" });
    const asked = w.world.gateway.script.accountBalance.last;
    expect(asked.resultUrl).toMatch(/\/api\/mpesa\/balance\/result\/cb-token-\d+$/);
    expect(asked.queueTimeoutUrl).toMatch(/\/api\/mpesa\/balance\/timeout\/cb-token-\d+$/);

    const accounts = [
      {
        name: "Utility Account",
        currency: "KES",
        available: "10.00",
        reserved: "0.00",
        uncleared: "0.00",
        total: "10.00",
      },
    ];
    const received = await w.deliver(w.balanceToken(), "balance_result", {
      type: "balance",
      accounts,
      at: null,
    });
    expect(received).toMatchObject({ known: true, disposition: "applied", queryId: query.id });
    // Delivered twice, or a failure after it: nothing changes.
    const again = await w.deliver(w.balanceToken(), "balance_timeout", {
      type: "failed",
      resultCode: null,
      reason: "timed out",
    });
    expect(again.disposition).toBe("no_change");
    const now = unwrap(
      await w.getQuery.execute({ access: w.access(), id: query.id, kind: "account_balance" }),
    );
    expect(now).toMatchObject({
      status: "completed",
      balance: { shortcode: "300584", accounts, at: w.world.clock.now() },
    });
    // It is no status query.
    expect(
      await w.getQuery.execute({ access: w.access(), id: query.id, kind: "transaction_status" }),
    ).toEqual({
      ok: false,
      error: { type: "not_found", entity: "status query" },
    });
    expect([...w.world.tables.callbacks.values()].map((r) => [r.kind, r.disposition])).toEqual([
      ["balance_result", "applied"],
      ["balance_timeout", "no_change"],
    ]);
  });

  it("a definite refusal fails the query and answers the refusal; an unclear answer leaves it pending", async () => {
    const w = await lookupWorld();
    w.world.gateway.script.accountBalance.next(gatewayAnswers.refused("invalid_credentials"));
    const refused = await w.checkBalance.execute({ access: w.access(), businessId: w.business.id });
    expect(refused).toMatchObject({
      ok: false,
      error: { type: "lookup_refused", failure: { type: "invalid_credentials" } },
    });
    const [failed] = w.world.tables.lookupQueries.values();
    expect(failed).toMatchObject({ status: "failed" });

    w.world.gateway.script.transactionStatus.next(gatewayAnswers.outcomeUnknown());
    const unclear = unwrap(
      await w.lookUp.execute({ access: w.access(), businessId: w.business.id, receipt: "SBK4QUB1VA" }),
    );
    expect(unclear.status).toBe("pending");
  });

  it("without an initiator: initiator_missing, and Daraja is never asked", async () => {
    const w = await lookupWorld({ initiator: false });
    expect(await w.checkBalance.execute({ access: w.access(), businessId: w.business.id })).toEqual({
      ok: false,
      error: { type: "initiator_missing" },
    });
    expect(w.world.gateway.script.accountBalance.requests).toHaveLength(0);
    expect(w.world.tables.lookupQueries.size).toBe(0);
  });

  it("a cashier is refused before anything is asked", async () => {
    const w = await lookupWorld({ role: "cashier" });
    expect(
      await w.lookUp.execute({ access: w.access(), businessId: w.business.id, receipt: "SBK4QUB1VA" }),
    ).toMatchObject({ ok: false, error: { type: "forbidden" } });
    expect(w.world.gateway.script.transactionStatus.requests).toHaveLength(0);
  });

  it("on the status paths, one receiver tells a look-up's token from a payout's; one neither has is audited once", async () => {
    const w = await lookupWorld();
    const receiveStatus = new ReceiveStatusResult({
      uow: w.world.uow,
      ids: w.world.ids,
      clock: w.world.clock,
      callbackSecrets: w.world.callbackSecrets,
      kinds: {
        payout: payoutCallbackKind({ ids: w.world.ids, payoutFollower: refundsFollowPayouts }),
        lookup: lookupResultKind,
      },
    });
    const query = unwrap(
      await w.lookUp.execute({ access: w.access(), businessId: w.business.id, receipt: "SBK4QUB1VA" }),
    );
    expect(query.status).toBe("pending");
    const timeout = (token: string) =>
      receiveStatus.execute({
        token,
        callback: {
          kind: "status_timeout",
          outcome: { type: "failed", resultCode: null, reason: "timed out" },
        },
        body: {},
        path: "/api/mpesa/status/timeout/***",
      });

    expect(await timeout(w.statusToken())).toMatchObject({
      owner: "lookup",
      trusted: true,
      disposition: "applied",
      targetId: query.id,
      paymentRef: `status_query:${query.id}`,
    });
    expect(w.world.tables.lookupQueries.get(query.id)).toMatchObject({ status: "failed" });
    // A token no look-up and no payout has: recorded once, untrusted, as the payout receiver records it.
    expect(await timeout("cb-token-999")).toMatchObject({
      owner: "payout",
      trusted: false,
      disposition: "unknown_payment",
      paymentRef: null,
      targetId: null,
    });
    expect([...w.world.tables.callbacks.values()]).toMatchObject([
      { kind: "status_timeout", trusted: true, paymentRef: `status_query:${query.id}` },
      { kind: "status_timeout", trusted: false, paymentRef: null },
    ]);
    // On a balance path, an unknown token is audited as such.
    await w.deliver("cb-token-999", "balance_result", { type: "balance", accounts: [], at: null });
    expect([...w.world.tables.callbacks.values()].at(-1)).toMatchObject({
      kind: "balance_result",
      trusted: false,
    });
  });
});

describe("PollingResultWaiter", () => {
  it("answers as soon as the check does, and null at its deadline", async () => {
    const waiter = new PollingResultWaiter({
      timeoutMs: 50,
      intervalMs: 5,
      maxWaiting: 5,
      signal: new AbortController().signal,
    });
    let asked = 0;
    expect(await waiter.waitFor(async () => (++asked === 3 ? "done" : null))).toBe("done");
    expect(await waiter.waitFor(async () => null)).toBeNull();
    expect(waiter.current).toBe(0);
  });

  it("answers null at once past its bound of waiting requests, and for all of them once shutdown begins", async () => {
    const shutdown = new AbortController();
    const waiter = new PollingResultWaiter({
      timeoutMs: 60_000,
      intervalMs: 10,
      maxWaiting: 2,
      signal: shutdown.signal,
    });
    let checks = 0;
    const never = async () => {
      checks += 1;
      return null;
    };
    const waiting = [waiter.waitFor(never), waiter.waitFor(never)];
    expect(waiter.current).toBe(2);
    const before = checks;
    expect(await waiter.waitFor(never)).toBeNull();
    // The third never asked: it answered at once.
    expect(checks).toBe(before);
    shutdown.abort();
    expect(await Promise.all(waiting)).toEqual([null, null]);
    expect(waiter.current).toBe(0);
    expect(await waiter.waitFor(async () => "late")).toBeNull();
  });
});
