import { describe, expect, it } from "vitest";
import {
  gatewayAnswers,
  type ScriptedAnswer,
} from "../../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import type { PayoutCallback } from "../../../src/application/payouts/receive-payout-callback.ts";
import type { B2cAccepted } from "../../../src/application/ports/payment-gateway.ts";
import type { B2cResult } from "../../../src/application/shared/daraja-notifications.ts";
import { Kes } from "../../../src/domain/kes.ts";
import { aPhone, asOwner, unwrap } from "../../support/builders.ts";
import { type MoneyWorld, moneyWorld } from "../../support/money-world.ts";

/** The payout use cases, table by table, over in-memory adapters and a scripted gateway. */

const GRACE_MS = 60_000;

const payoutRow = (w: MoneyWorld) => {
  const [row] = w.tables.payouts.values();
  if (row === undefined) throw new Error("no payout stored");
  return row;
};
const events = (w: MoneyWorld) => [...w.tables.payoutEvents.values()].map((event) => event.type);

const initiate = (w: MoneyWorld, amount = 500) =>
  w.useCases.initiatePayout.execute({
    access: asOwner(w.owner.id, w.business.id, "payouts:write"),
    businessId: w.business.id,
    phone: aPhone("0712000001"),
    amount: unwrap(Kes.forPayout(amount)),
  });

function b2cResult(originatorConversationId: string, overrides: Partial<B2cResult> = {}): B2cResult {
  const completed = (overrides.resultCode ?? "0") === "0";
  return {
    resultType: 0,
    resultCode: "0",
    resultDesc: completed
      ? "The service request is processed successfully."
      : "Credit Party customer type is invalid",
    originatorConversationId,
    conversationId: "AG_000001",
    transactionId: completed ? "UAB1234567" : null,
    receipt: completed ? "UAB1234567" : null,
    amount: 500,
    recipientName: completed ? "254712000001 - JANE DOE" : null,
    completedAt: null,
    transactionStatus: null,
    parameters: {},
    ...overrides,
  };
}

const statusResult = (originatorConversationId: string, transactionStatus: string): B2cResult =>
  b2cResult(`status-${originatorConversationId}`, {
    conversationId: null,
    transactionStatus,
    receipt: transactionStatus === "Completed" ? "UAB1234567" : null,
    parameters: { OriginatorConversationID: originatorConversationId },
  });

describe("InitiatePayout: what Daraja answers to the B2C request", () => {
  it.each<[string, ScriptedAnswer<B2cAccepted> | "default", string, string, boolean, string[], string]>([
    ["accepted", "default", "pending", "accepted", true, ["requested", "sent"], "ok"],
    [
      "duplicate OriginatorConversationID",
      gatewayAnswers.alreadyAccepted(),
      "pending",
      "accepted",
      false,
      ["requested", "duplicate"],
      "ok",
    ],
    [
      "ambiguous: outcome unknown",
      gatewayAnswers.outcomeUnknown(),
      "pending",
      "unknown",
      false,
      ["requested", "outcome_unknown"],
      "ok",
    ],
    [
      "refused: wrong credentials",
      gatewayAnswers.refused("invalid_credentials"),
      "failed",
      "refused",
      false,
      ["requested", "refused"],
      "payout_refused",
    ],
    [
      "refused: never left PayMe",
      gatewayAnswers.unavailable(),
      "failed",
      "refused",
      false,
      ["requested", "refused"],
      "payout_refused",
    ],
    [
      "a thrown network error",
      gatewayAnswers.networkError(),
      "pending",
      "unknown",
      false,
      ["requested"],
      "threw",
    ],
  ])("%s", async (_, answer, status, pushOutcome, knowsConversation, story, returned) => {
    const w = await moneyWorld();
    if (answer !== "default") w.gateway.script.b2cPayment.next(answer);
    const result = await initiate(w).catch(() => "threw" as const);
    expect(result === "threw" ? "threw" : result.ok ? "ok" : result.error.type).toBe(returned);
    const row = payoutRow(w);
    expect(row).toMatchObject({ status, pushOutcome });
    expect(row.conversationId !== null).toBe(knowsConversation);
    expect(events(w)).toEqual(story);
    // One request, never repeated, from the payout config's shortcode and initiator, with the payout's own id.
    expect(w.gateway.script.b2cPayment.requests).toHaveLength(1);
    expect(w.gateway.script.b2cPayment.last).toMatchObject({
      originatorConversationId: row.originatorConversationId,
      account: {
        shortcode: "600996",
        initiatorName: "payme-initiator",
        initiatorPassword: "initiator-password",
      },
    });
    expect(w.callbackSecrets.hashOf(w.payoutToken())).toBe(row.callbackTokenHash);
  });

  it.each<[string, number, number | null, string]>([
    ["over the per-payout limit", 70_001, null, "per_payout"],
    ["over the daily limit with today's payouts", 40_000, 70_000, "daily"],
  ])("%s: refused, nothing stored or sent", async (_, amount, earlier, limit) => {
    const w = await moneyWorld();
    if (earlier !== null) {
      await initiate(w, earlier);
      await initiate(w, 20_000);
    }
    const before = w.tables.payouts.size;
    const result = await initiate(w, amount);
    expect(result).toMatchObject({ ok: false, error: { type: "payout_limit_exceeded", limit } });
    expect(w.tables.payouts.size).toBe(before);
    expect(w.gateway.script.b2cPayment.requests).toHaveLength(before);
  });
});

type PayoutStart = "pending" | "completed" | "failed by Daraja (2040)" | "failed by a refused request";

async function payoutIn(w: MoneyWorld, start: PayoutStart): Promise<string> {
  if (start === "failed by a refused request")
    w.gateway.script.b2cPayment.next(gatewayAnswers.refused("invalid_credentials"));
  await initiate(w);
  const { originatorConversationId } = payoutRow(w);
  const token = w.payoutToken();
  if (start === "completed")
    await receive(w, token, { kind: "b2c_result", result: b2cResult(originatorConversationId) });
  if (start === "failed by Daraja (2040)")
    await receive(w, token, {
      kind: "b2c_result",
      result: b2cResult(originatorConversationId, { resultCode: "2040" }),
    });
  expect(payoutRow(w).status).toBe(start.split(" ")[0]);
  return originatorConversationId;
}

const receive = (w: MoneyWorld, token: string, callback: PayoutCallback) =>
  w.useCases.receivePayoutCallback.execute({ token, callback, body: {}, path: "/api/mpesa/b2c/result/***" });

describe("ReceivePayoutCallback with the payout's token: starting state × callback", () => {
  const success = (id: string): PayoutCallback => ({ kind: "b2c_result", result: b2cResult(id) });
  const failure = (id: string): PayoutCallback => ({
    kind: "b2c_result",
    result: b2cResult(id, { resultCode: "2040" }),
  });
  const queueTimeout = (id: string): PayoutCallback => ({
    kind: "b2c_queue_timeout",
    originatorConversationId: id,
  });
  const otherPayout = (): PayoutCallback => ({ kind: "b2c_result", result: b2cResult("someone-else") });

  it.each<[PayoutStart, string, (id: string) => PayoutCallback, string, boolean, string]>([
    ["pending", "a success", success, "completed", false, "applied"],
    ["pending", "a failure (2040)", failure, "failed", false, "applied"],
    ["pending", "a queue timeout", queueTimeout, "pending", false, "applied"],
    ["pending", "a success naming another payout", otherPayout, "pending", false, "unconfirmed"],
    ["completed", "the success again", success, "completed", false, "no_change"],
    ["completed", "a failure (late and wrong)", failure, "completed", false, "no_change"],
    ["failed by Daraja (2040)", "a success", success, "failed", true, "flagged"],
    ["failed by a refused request", "a success", success, "completed", true, "applied"],
  ])("%s + %s", async (start, _, callback, status, flagged, disposition) => {
    const w = await moneyWorld();
    const id = await payoutIn(w, start);
    const received = await receive(w, w.payoutToken(), callback(id));
    expect(received).toMatchObject({ trusted: true, disposition });
    expect(payoutRow(w)).toMatchObject({ status, needsAttention: flagged });
    expect([...w.tables.callbacks.values()].at(-1)?.disposition).toBe(disposition);
  });

  it("a second queue timeout keeps the first time and changes nothing", async () => {
    const w = await moneyWorld();
    const id = await payoutIn(w, "pending");
    await receive(w, w.payoutToken(), { kind: "b2c_queue_timeout", originatorConversationId: id });
    const first = payoutRow(w).queueTimedOutAt;
    w.clock.advance(5000);
    const again = await receive(w, w.payoutToken(), {
      kind: "b2c_queue_timeout",
      originatorConversationId: id,
    });
    expect(again.disposition).toBe("no_change");
    expect(payoutRow(w).queueTimedOutAt).toEqual(first);
  });

  it.each<[string, string, string | null]>([
    ["an unknown token naming a payout", "pending", "unconfirmed"],
    ["an unknown token naming nobody", "pending", "unknown_payment"],
  ])("%s is not trusted: nothing changes", async (name, status, disposition) => {
    const w = await moneyWorld();
    const id = await payoutIn(w, "pending");
    const named = name.includes("nobody") ? "nobody" : id;
    const received = await receive(w, "forged", { kind: "b2c_result", result: b2cResult(named) });
    expect(received).toMatchObject({ trusted: false, disposition });
    expect(payoutRow(w).status).toBe(status);
  });
});

describe("QueryPendingPayouts and the status results it asks for", () => {
  it.each<[string, (w: MoneyWorld) => Promise<void>, number]>([
    ["younger than the grace period", async () => undefined, 0],
    ["past the grace period", async (w) => w.clock.advance(GRACE_MS), 1],
    [
      "queue-timed-out, however young",
      async (w) => {
        await receive(w, w.payoutToken(), {
          kind: "b2c_queue_timeout",
          originatorConversationId: payoutRow(w).originatorConversationId,
        });
      },
      1,
    ],
    [
      "completed",
      async (w) => {
        await receive(w, w.payoutToken(), {
          kind: "b2c_result",
          result: b2cResult(payoutRow(w).originatorConversationId),
        });
        w.clock.advance(GRACE_MS);
      },
      0,
    ],
    ["past giving up", async (w) => w.clock.advance(1800 * 1000 + 1000), 0],
  ])("a pending payout %s: claimed %i", async (_, arrange, claimed) => {
    const w = await moneyWorld();
    await initiate(w);
    await arrange(w);
    const run = await w.useCases.queryPendingPayouts.execute({ now: w.clock.now(), limit: 10 });
    expect(run).toEqual({ claimed, sent: claimed, refused: 0 });
    expect(w.gateway.script.transactionStatus.requests).toHaveLength(claimed);
    if (claimed === 1) {
      expect(w.gateway.script.transactionStatus.last.originatorConversationId).toBe(
        payoutRow(w).originatorConversationId,
      );
      expect(payoutRow(w).statusQueries).toBe(1);
      expect(events(w).at(-1)).toBe("status_query_sent");
    }
  });

  it.each<[string, ScriptedAnswer<B2cAccepted>]>([
    ["refused", gatewayAnswers.refused("invalid_credentials")],
    ["not answered", gatewayAnswers.outcomeUnknown()],
  ])("a status query Daraja %s is recorded in the payout's story, to be asked again", async (_, answer) => {
    const w = await moneyWorld();
    await initiate(w);
    w.clock.advance(GRACE_MS);
    w.gateway.script.transactionStatus.next(answer);
    expect(await w.useCases.queryPendingPayouts.execute({ now: w.clock.now(), limit: 10 })).toEqual({
      claimed: 1,
      sent: 0,
      refused: 1,
    });
    expect(events(w).at(-1)).toBe("status_query_refused");
    expect(payoutRow(w).status).toBe("pending");
  });

  it.each<[string, string, string, string]>([
    ["Completed", "latest", "completed", "applied"],
    ["Pending", "latest", "pending", "no_change"],
    ["Failed", "latest", "pending", "no_change"],
    ["Completed", "earlier", "pending", "unconfirmed"],
  ])(
    "a status result saying %s through the %s query's token → %s (%s)",
    async (transactionStatus, which, status, disposition) => {
      const w = await moneyWorld();
      await initiate(w);
      const { originatorConversationId } = payoutRow(w);
      const statusToken = () => {
        const url = w.gateway.script.transactionStatus.last.resultUrl;
        return url.slice(url.lastIndexOf("/") + 1);
      };
      w.clock.advance(GRACE_MS);
      await w.useCases.queryPendingPayouts.execute({ now: w.clock.now(), limit: 10 });
      const earlier = statusToken();
      w.clock.advance(GRACE_MS);
      await w.useCases.queryPendingPayouts.execute({ now: w.clock.now(), limit: 10 });
      const token = which === "latest" ? statusToken() : earlier;
      expect(token === earlier).toBe(which === "earlier");
      const received = await w.useCases.receivePayoutCallback.execute({
        token,
        callback: {
          kind: "status_result",
          result: statusResult(originatorConversationId, transactionStatus),
        },
        body: {},
        path: "/api/mpesa/status/result/***",
      });
      expect(received.disposition).toBe(disposition);
      expect(payoutRow(w).status).toBe(status);
    },
  );
});
