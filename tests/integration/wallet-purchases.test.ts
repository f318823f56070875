import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type {
  DarajaSimulator,
  ListeningSimulator,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { PORTS, resolve, SERVICES } from "../../src/main/tokens.ts";
import { eventually, type RunningPayMe, startPayMe, startSimulator } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { openTestDatabase } from "../support/test-database.ts";

type Purchase = {
  id: string;
  status: string;
  amount: number;
  tokens: number;
  phone: string;
  checkoutRequestId: string | null;
  mpesaReceipt?: string;
  resultCode?: string;
  failureReason?: string;
  needsAttention: boolean;
};

describe("wallet token purchases, through the simulator", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let simulator: DarajaSimulator;
  let listening: ListeningSimulator;
  let payme: RunningPayMe;
  let dataDir: string;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    ({ simulator, listening } = await startSimulator({ delayMs: 250 }));
    // A spool of this file's own: a test looks at what was spooled.
    dataDir = mkdtempSync(join(tmpdir(), "payme-wallet-"));
    payme = await startPayMe({ database, simulatorUrl: listening.url, env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await payme.stop();
    await listening.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    simulator.setDelayMs(30);
  });

  const buyer = () => signUpThroughApi(payme.app);
  const initiate = async (token: string, body: unknown, key?: string) => {
    const init = jsonRequest("POST", body, token);
    if (key !== undefined) {
      (init.headers as Record<string, string>)["Idempotency-Key"] = key;
    }
    return payme.app.request("/api/wallet-payment/initiate", init);
  };
  const purchaseOf = async (token: string, id: string) =>
    (
      (await (await payme.app.request(`/api/wallet-payment/${id}`, bearer(token))).json()) as {
        purchase: Purchase;
      }
    ).purchase;
  const walletOf = async (token: string) =>
    (await (await payme.app.request("/api/wallet", bearer(token))).json()) as {
      balance: number;
      transactions: { tokens: number; purchaseId: string }[];
    };
  const settled = (token: string, id: string) =>
    eventually(async () => {
      const purchase = await purchaseOf(token, id);
      return purchase.status === "pending" ? undefined : purchase;
    });
  const lastCallbackToken = () =>
    String(simulator.stkPushBodies().at(-1)?.CallBackURL).split("/").at(-1) ?? "";
  const callbackUrlOf = (checkoutRequestId: string) => {
    const body = simulator
      .stkPushBodies()
      .find((b) => simulator.checkout(checkoutRequestId)?.callbackUrl === b.CallBackURL);
    if (body === undefined) {
      throw new Error("no push for that checkout");
    }
    return String(body.CallBackURL);
  };

  it("a purchase of 100 ends paid: the balance is up by 100, one ledger entry, the receipt kept", async () => {
    const user = await buyer();
    const started = await initiate(user.token, { phone: "0712345678", amount: 100 });
    expect(started.status).toBe(202);
    const { purchase } = (await started.json()) as { purchase: Purchase };
    expect(purchase).toMatchObject({ status: "pending", amount: 100, tokens: 100, phone: "254712345678" });
    expect(purchase.checkoutRequestId).toMatch(/^ws_CO_/);

    const paid = await settled(user.token, purchase.id);
    expect(paid.status).toBe("paid");
    expect(paid.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    const wallet = await walletOf(user.token);
    expect(wallet.balance).toBe(100);
    expect(wallet.transactions).toEqual([expect.objectContaining({ tokens: 100, purchaseId: purchase.id })]);

    const push = simulator.stkPushBodies().at(-1);
    expect(push).toMatchObject({
      BusinessShortCode: "650880",
      PartyB: "650880",
      AccountReference: "37605544",
      TransactionType: "CustomerPayBillOnline",
    });
  });

  it("the cancelled and wrong-PIN phones end cancelled and failed, with no credit", async () => {
    const user = await buyer();
    const cancelled = (await (await initiate(user.token, { phone: "254700000001", amount: 50 })).json()) as {
      purchase: Purchase;
    };
    const wrongPin = (await (await initiate(user.token, { phone: "254700000004", amount: 60 })).json()) as {
      purchase: Purchase;
    };
    expect(await settled(user.token, cancelled.purchase.id)).toMatchObject({
      status: "cancelled",
      resultCode: "1032",
    });
    expect(await settled(user.token, wrongPin.purchase.id)).toMatchObject({
      status: "failed",
      resultCode: "2001",
      failureReason: "wrong M-Pesa PIN",
    });
    expect((await walletOf(user.token)).balance).toBe(0);
  });

  it("the triple-delivery phone credits once", async () => {
    const user = await buyer();
    const { purchase } = (await (
      await initiate(user.token, { phone: "254700000006", amount: 70 })
    ).json()) as {
      purchase: Purchase;
    };
    await settled(user.token, purchase.id);
    await simulator.whenIdle();
    const deliveries = simulator.callbacks().filter((d) =>
      d.url.endsWith(
        callbackUrlOf(purchase.checkoutRequestId ?? "")
          .split("/")
          .at(-1) ?? "?",
      ),
    );
    expect(deliveries.length).toBe(3);
    expect((await walletOf(user.token)).balance).toBe(70);
  });

  it("the same success callback fired 20 times at once credits once", async () => {
    const user = await buyer();
    simulator.setDelayMs(600_000);
    const { purchase } = (await (
      await initiate(user.token, { phone: "0722000111", amount: 120 })
    ).json()) as {
      purchase: Purchase;
    };
    const url = callbackUrlOf(purchase.checkoutRequestId ?? "");
    const body = successCallback(purchase.checkoutRequestId ?? "", 120, "254722000111", "QAZ1234567");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(await answers[0]?.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    expect(await purchaseOf(user.token, purchase.id)).toMatchObject({
      status: "paid",
      mpesaReceipt: "QAZ1234567",
    });
    const wallet = await walletOf(user.token);
    expect(wallet.balance).toBe(120);
    expect(wallet.transactions).toHaveLength(1);
  });

  it("a forged success on the bare path, for a payment Daraja says was cancelled, credits nothing and is kept as untrusted", async () => {
    const user = await buyer();
    simulator.setDelayMs(600_000);
    const { purchase } = (await (
      await initiate(user.token, { phone: "254700000001", amount: 90 })
    ).json()) as {
      purchase: Purchase;
    };
    const checkoutRequestId = purchase.checkoutRequestId ?? "";
    await simulator.settle(checkoutRequestId);
    const forged = await fetch(`${payme.baseUrl}/api/mpesa/callback`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(successCallback(checkoutRequestId, 90, "254700000001", "FAKE000001")),
    });
    expect(forged.status).toBe(200);
    await resolve(payme.container, SERVICES.background).drain();
    expect(await purchaseOf(user.token, purchase.id)).toMatchObject({ status: "cancelled" });
    expect((await walletOf(user.token)).balance).toBe(0);
    const audit = await resolve(payme.container, PORTS.unitOfWork).run((r) =>
      r.callbackAudit.listByPayment(`wallet_purchase:${purchase.id}`),
    );
    const untrusted = audit.filter((record) => !record.trusted);
    expect(untrusted).toHaveLength(1);
    expect(untrusted[0]?.disposition).toMatch(/^(unconfirmed|no_change)$/);
    expect(untrusted[0]?.path).toBe("/api/mpesa/callback");
  });

  it("a forged success on the bare path is applied once Daraja confirms it, and takes nothing from the forged body", async () => {
    const user = await buyer();
    simulator.setDelayMs(600_000);
    const { purchase } = (await (
      await initiate(user.token, { phone: "254700000005", amount: 40 })
    ).json()) as {
      purchase: Purchase;
    };
    const checkoutRequestId = purchase.checkoutRequestId ?? "";
    await simulator.settle(checkoutRequestId);
    await fetch(`${payme.baseUrl}/api/mpesa/callback`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(successCallback(checkoutRequestId, 40, "254700000005", "PLANTED001")),
    });
    await resolve(payme.container, SERVICES.background).drain();
    const paid = await purchaseOf(user.token, purchase.id);
    expect(paid.status).toBe("paid");
    expect(paid.mpesaReceipt).toBeUndefined();
    expect((await walletOf(user.token)).balance).toBe(40);
  });

  it("a success for the wrong amount credits nothing, and the purchase is flagged", async () => {
    const user = await buyer();
    simulator.setDelayMs(600_000);
    const { purchase } = (await (
      await initiate(user.token, { phone: "0733000222", amount: 500 })
    ).json()) as {
      purchase: Purchase;
    };
    const url = callbackUrlOf(purchase.checkoutRequestId ?? "");
    const answer = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(
        successCallback(purchase.checkoutRequestId ?? "", 5, "254733000222", "LOW0000001"),
      ),
    });
    expect(answer.status).toBe(200);
    const flagged = await purchaseOf(user.token, purchase.id);
    expect(flagged).toMatchObject({ status: "pending", needsAttention: true });
    expect((await walletOf(user.token)).balance).toBe(0);
  });

  it("two initiations with the same Idempotency-Key start one push and answer alike", async () => {
    const user = await buyer();
    const before = simulator.stats().stkPushes;
    const first = await initiate(user.token, { phone: "0744000333", amount: 30 }, "buy-30-tokens-once");
    const second = await initiate(user.token, { amount: 30, phone: "0744000333" }, "buy-30-tokens-once");
    expect(second.status).toBe(first.status);
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(simulator.stats().stkPushes - before).toBe(1);
  });

  it("answers a busy phone with 409 subscriber_busy and stores the purchase failed", async () => {
    const user = await buyer();
    const busy = await initiate(user.token, { phone: "254700000007", amount: 10 });
    expect(busy.status).toBe(409);
    const problem = (await busy.json()) as { code: string; detail: string };
    expect(problem.code).toBe("subscriber_busy");
    expect(problem.detail).toMatch(/prompt/i);
    const failed = await resolve(payme.container, PORTS.unitOfWork).run(async (r) => {
      const hash = resolve(payme.container, PORTS.callbackSecrets).hashOf(lastCallbackToken());
      const located = await r.paymentLocators.find("callback_token", hash);
      return located === null ? null : r.walletPurchases.findById(located.paymentId);
    });
    expect(failed).toMatchObject({ status: "failed", checkoutRequestId: null });
    expect(failed?.failureReason).toMatch(/prompt/i);
  });

  it("refuses bad input with 400 and unknown ids with 404", async () => {
    const user = await buyer();
    const bad = await initiate(user.token, { phone: "+255712345678", amount: 10.5 });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["amount", "phone"]);
    const other = await buyer();
    const { purchase } = (await (await initiate(user.token, { phone: "0712000999", amount: 11 })).json()) as {
      purchase: Purchase;
    };
    expect((await payme.app.request(`/api/wallet-payment/${purchase.id}`, bearer(other.token))).status).toBe(
      404,
    );
  });

  it("answers 400 to a callback that is not JSON or not an STK callback", async () => {
    const notJson = await fetch(`${payme.baseUrl}/api/mpesa/callback`, { method: "POST", body: "{oops" });
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get("content-type")).toBe("application/problem+json");
    const wrongShape = await fetch(`${payme.baseUrl}/api/mpesa/callback/abc`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ Result: { ResultCode: 0 } }),
    });
    expect(wrongShape.status).toBe(400);
    const unknown = await fetch(`${payme.baseUrl}/api/mpesa/callback/not-a-real-token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(successCallback("ws_CO_nobody", 1, "254712345678", "NOBODY0001")),
    });
    expect(unknown.status).toBe(200);
  });

  it("answers 400 to callback JSON that the audit trail cannot store, instead of spooling it for ever", async () => {
    const callback = JSON.stringify(successCallback("ws_CO_nobody", 1, "254712345678", "NOBODY0002"));
    const deep = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;
    const bodies = {
      "a NUL character": callback.replace("NOBODY0002", "NOBODY\\u0000"),
      "a lone surrogate": callback.replace("NOBODY0002", "NOBODY\\ud800"),
      "deep nesting": callback.replace('"ResultCode":0', `"ResultCode":0,"extra":${deep}`),
    };
    for (const path of ["/api/mpesa/callback/not-a-real-token", "/api/mpesa/b2c/result/not-a-real-token"]) {
      for (const [name, body] of Object.entries(bodies)) {
        const response = await fetch(`${payme.baseUrl}${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        });
        expect(response.status, `${path}: ${name}`).toBe(400);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
      }
    }
    expect(await resolve(payme.container, SERVICES.spool).list({ limit: 10 })).toEqual([]);
  });

  it("loses nothing when PayMe restarts between initiation and callback", async () => {
    const user = await buyer();
    simulator.setDelayMs(600_000);
    const { purchase } = (await (await initiate(user.token, { phone: "0755000444", amount: 80 })).json()) as {
      purchase: Purchase;
    };
    const port = Number(new URL(payme.baseUrl).port);
    await payme.stop();
    payme = await startPayMe({ database, simulatorUrl: listening.url, port, env: { DATA_DIR: dataDir } });
    await simulator.settle(purchase.checkoutRequestId ?? "");
    expect(await settled(user.token, purchase.id)).toMatchObject({ status: "paid" });
    expect((await walletOf(user.token)).balance).toBe(80);
  });
});

function successCallback(checkoutRequestId: string, amount: number, phone: string, receipt: string) {
  return {
    Body: {
      stkCallback: {
        MerchantRequestID: "29115-34620561-1",
        CheckoutRequestID: checkoutRequestId,
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        CallbackMetadata: {
          Item: [
            { Name: "Amount", Value: amount },
            { Name: "MpesaReceiptNumber", Value: receipt },
            { Name: "Balance" },
            { Name: "TransactionDate", Value: 20260301101500 },
            { Name: "PhoneNumber", Value: Number(phone) },
          ],
        },
      },
    },
  };
}
