import { beforeEach, describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import { QueryPendingPayouts } from "../../src/application/payouts/query-pending-payouts.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { eventually, payMeSuite } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";

type PayoutJson = {
  id: string;
  businessId: string;
  status: "pending" | "completed" | "failed";
  amount: number;
  phone: string;
  commandId: string;
  originatorConversationId: string;
  conversationId?: string;
  mpesaReceipt?: string;
  recipientName?: string;
  resultCode?: string;
  failureReason?: string;
  queueTimedOutAt?: string;
  createdAt: string;
  completedAt?: string;
};

type StoryEntry = {
  at: string;
  type: string;
  kind?: string;
  trusted?: boolean;
  disposition?: string;
  [key: string]: unknown;
};

/** The business's own B2C account, as the simulator knows it (Safaricom's public sandbox initiator). */
const B2C = {
  shortcode: "600996",
  initiatorName: SANDBOX_INITIATOR_NAME,
  initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
};

describe("business payouts by B2C, through the simulator", () => {
  const suite = payMeSuite({ delayMs: 250 });
  beforeEach(() => {
    suite.simulator.setDelayMs(30);
  });

  /** A fresh user whose only business has a payout config. */
  const payer = async (config: Record<string, unknown> = B2C) => {
    const user = await signUpThroughApi(suite.payme.app, { businessName: "Duka La Mama" });
    const setup = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest("POST", config, user.token),
    );
    expect(setup.status).toBe(201);
    return user;
  };
  const payOut = async (token: string, body: Record<string, unknown>, key?: string) => {
    const init = jsonRequest("POST", body, token);
    if (key !== undefined) {
      (init.headers as Record<string, string>)["Idempotency-Key"] = key;
    }
    return suite.payme.app.request("/api/payouts", init);
  };
  const started = async (token: string, body: Record<string, unknown>) => {
    const response = await payOut(token, body);
    expect(response.status).toBe(202);
    return ((await response.json()) as { payout: PayoutJson }).payout;
  };
  const payoutOf = async (token: string, id: string) =>
    (
      (await (await suite.payme.app.request(`/api/payouts/${id}`, bearer(token))).json()) as {
        payout: PayoutJson;
      }
    ).payout;
  const storyOf = async (token: string, id: string) =>
    (
      (await (await suite.payme.app.request(`/api/payouts/${id}/events`, bearer(token))).json()) as {
        events: StoryEntry[];
      }
    ).events;
  const settled = (token: string, id: string) =>
    eventually(async () => {
      const payout = await payoutOf(token, id);
      return payout.status === "pending" ? undefined : payout;
    });
  const bodyOf = (payout: PayoutJson) => {
    const body = suite.simulator
      .b2cBodies()
      .find((b) => b.OriginatorConversationID === payout.originatorConversationId);
    if (body === undefined) {
      throw new Error("the simulator never received that payout");
    }
    return body;
  };
  const post = (path: string, body: unknown) =>
    fetch(`${suite.payme.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const auditOf = (payoutId: string) =>
    resolve(suite.payme.container, PORTS.unitOfWork).run((r) =>
      r.callbackAudit.listByPayment(`payout:${payoutId}`),
    );

  it("a payout ends completed, with the receipt, the recipient's name and the completion time", async () => {
    const user = await payer();
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0712345678",
      amount: 1500,
      remarks: "Supplier: maize flour",
    });
    expect(payout).toMatchObject({
      status: "pending",
      amount: 1500,
      phone: "254712345678",
      commandId: "BusinessPayment",
      businessId: user.businessId,
    });
    expect(payout.originatorConversationId).toMatch(/^[0-9a-f-]{36}$/);

    const done = await settled(user.token, payout.id);
    expect(done).toMatchObject({ status: "completed", resultCode: "0", phone: "254712345678" });
    expect(done.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    expect(done.recipientName).toBe("254712345678 - SIMULATED RECIPIENT");
    expect(done.conversationId).toMatch(/^AG_/);
    expect(Math.abs(Date.parse(done.completedAt ?? "") - Date.now())).toBeLessThan(60_000);

    const sent = bodyOf(payout);
    const origin = suite.payme.baseUrl;
    expect(sent).toMatchObject({
      InitiatorName: "testapi",
      CommandID: "BusinessPayment",
      Amount: 1500,
      PartyA: "600996",
      PartyB: "254712345678",
      Remarks: "Supplier: maize flour",
    });
    expect(String(sent.SecurityCredential)).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    const token = String(sent.ResultURL).split("/").at(-1) ?? "";
    expect(sent.ResultURL).toBe(`${origin}/api/mpesa/b2c/result/${token}`);
    expect(sent.QueueTimeOutURL).toBe(`${origin}/api/mpesa/b2c/timeout/${token}`);
    expect(token.length).toBeGreaterThanOrEqual(40);
  });

  it("the wrong-PIN phone fails with 2001, the unregistered phone with 2040, the short account with 1", async () => {
    const user = await payer();
    const cases = [
      [SIMULATOR_PHONES.wrongPin, "2001", /initiator/],
      [SIMULATOR_PHONES.unregisteredRecipient, "2040", /not a registered M-Pesa customer/],
      [SIMULATOR_PHONES.insufficientFunds, "1", /insufficient funds/],
    ] as const;
    for (const [phone, code, reason] of cases) {
      const payout = await started(user.token, { businessId: user.businessId, phone, amount: 100 });
      const failed = await settled(user.token, payout.id);
      expect(failed, phone).toMatchObject({ status: "failed", resultCode: code });
      expect(failed.failureReason, phone).toMatch(reason);
      expect(failed.mpesaReceipt, phone).toBeUndefined();
    }
  });

  it("a wrong initiator password ends failed with 2001", async () => {
    const user = await payer({ ...B2C, initiatorPassword: "not-the-password" });
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0712000001",
      amount: 50,
    });
    expect(await settled(user.token, payout.id)).toMatchObject({ status: "failed", resultCode: "2001" });
  });

  it("the queue-timeout phone stays pending until the status query says completed; nothing is sent twice", async () => {
    const user = await payer();
    // Long enough that PayMe has recorded Daraja's answers before each callback comes, for the story's order.
    suite.simulator.setDelayMs(300);
    const b2cBefore = suite.simulator.stats().b2cRequests;
    const statusBefore = suite.simulator.stats().transactionStatusRequests;
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: SIMULATOR_PHONES.queueTimeout,
      amount: 2500,
      commandId: "SalaryPayment",
    });
    const timedOut = await eventually(async () => {
      const current = await payoutOf(user.token, payout.id);
      return current.queueTimedOutAt === undefined ? undefined : current;
    });
    expect(timedOut.status).toBe("pending");

    const query = resolve(suite.payme.container, QueryPendingPayouts);
    const run = await query.execute({ now: new Date(), limit: 50 });
    expect(run).toMatchObject({ sent: 1, refused: 0 });
    const done = await settled(user.token, payout.id);
    expect(done).toMatchObject({ status: "completed", resultCode: "0", commandId: "SalaryPayment" });
    expect(done.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    expect(done.recipientName).toBe(`${SIMULATOR_PHONES.queueTimeout} - SIMULATED RECIPIENT`);

    // A settled payout is never asked about again, and the payment itself was sent once.
    expect(await query.execute({ now: new Date(Date.now() + 3_600_000), limit: 50 })).toMatchObject({
      claimed: 0,
    });
    expect(suite.simulator.stats().b2cRequests - b2cBefore).toBe(1);
    expect(suite.simulator.stats().transactionStatusRequests - statusBefore).toBe(1);

    const story = await storyOf(user.token, payout.id);
    expect(story.map((e) => e.kind ?? e.type)).toEqual([
      "requested",
      "sent",
      "b2c_queue_timeout",
      "status_query_sent",
      "status_result",
    ]);
    expect(story.at(-1)).toMatchObject({ trusted: true, disposition: "applied" });
  });

  it("the doubled result is applied once: the second is stored as no change", async () => {
    const user = await payer();
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: SIMULATOR_PHONES.duplicateCallbacks,
      amount: 700,
    });
    const done = await settled(user.token, payout.id);
    await suite.simulator.whenIdle();
    const resultUrl = String(bodyOf(payout).ResultURL);
    expect(suite.simulator.callbacks().filter((d) => d.url === resultUrl && d.status === 200)).toHaveLength(
      2,
    );
    const audit = await auditOf(payout.id);
    expect(audit.map((a) => [a.kind, a.trusted, a.disposition])).toEqual([
      ["b2c_result", true, "applied"],
      ["b2c_result", true, "no_change"],
    ]);
    expect(audit[0]?.path).toBe("/api/mpesa/b2c/result/[token]");
    expect(await payoutOf(user.token, payout.id)).toEqual(done);
  });

  it("the same result delivered 20 times at once completes the payout once", async () => {
    const user = await payer();
    suite.simulator.setDelayMs(600_000);
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0711222333",
      amount: 400,
    });
    const resultUrl = String(bodyOf(payout).ResultURL);
    const result = {
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        OriginatorConversationID: payout.originatorConversationId,
        ConversationID: "AG_20260301_concurrent",
        TransactionID: "UCC1234567",
        ResultParameters: {
          ResultParameter: [
            { Key: "TransactionAmount", Value: 400 },
            { Key: "TransactionReceipt", Value: "UCC1234567" },
            { Key: "ReceiverPartyPublicName", Value: "254711222333 - JANE DOE" },
            { Key: "TransactionCompletedDateTime", Value: "01.03.2026 12:30:05" },
          ],
        },
      },
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(new URL(resultUrl).pathname, result)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(await payoutOf(user.token, payout.id)).toMatchObject({
      status: "completed",
      mpesaReceipt: "UCC1234567",
      recipientName: "254711222333 - JANE DOE",
      completedAt: "2026-03-01T09:30:05.000Z",
    });
    const dispositions = (await auditOf(payout.id)).map((a) => a.disposition);
    expect(dispositions.filter((d) => d === "applied")).toHaveLength(1);
    expect(dispositions.filter((d) => d === "no_change")).toHaveLength(19);
  });

  it("the same Idempotency-Key used twice sends one B2C request and answers alike", async () => {
    const user = await payer();
    const before = suite.simulator.stats().b2cRequests;
    const body = { businessId: user.businessId, phone: "0722333444", amount: 300 };
    const first = await payOut(user.token, body, "pay-supplier-2026-03-01");
    const second = await payOut(
      user.token,
      { amount: 300, phone: "0722333444", businessId: user.businessId },
      "pay-supplier-2026-03-01",
    );
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(suite.simulator.stats().b2cRequests - before).toBe(1);
    const reused = await payOut(user.token, { ...body, amount: 301 }, "pay-supplier-2026-03-01");
    expect(reused.status).toBe(422);
    expect(suite.simulator.stats().b2cRequests - before).toBe(1);
  });

  it("tells the whole story of a payout: who asked, what Daraja said, every callback", async () => {
    const user = await payer();
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0733444555",
      amount: 250,
    });
    await settled(user.token, payout.id);
    const story = await storyOf(user.token, payout.id);
    expect(story[0]).toMatchObject({
      type: "requested",
      requestedBy: user.userId,
      amount: 250,
      phone: "254733444555",
      shortcode: "600996",
      initiatorName: "testapi",
      originatorConversationId: payout.originatorConversationId,
    });
    expect(story.map((e) => e.type)).toEqual(expect.arrayContaining(["sent", "callback"]));
    const callback = story.find((e) => e.type === "callback");
    expect(callback).toMatchObject({ kind: "b2c_result", trusted: true, disposition: "applied" });
    expect(callback?.body).toMatchObject({ Result: { ResultCode: 0 } });
    const text = JSON.stringify(story);
    expect(text).not.toContain(SANDBOX_INITIATOR_PASSWORD);
    expect(text).not.toContain(String(bodyOf(payout).ResultURL).split("/").at(-1));
  });

  it("stores callbacks with an unknown token as untrusted, and changes nothing", async () => {
    const user = await payer();
    suite.simulator.setDelayMs(600_000);
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0744555666",
      amount: 90,
    });
    const forged = {
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        OriginatorConversationID: payout.originatorConversationId,
        ConversationID: "AG_20260301_forged",
        TransactionID: "FORGED0001",
        ResultParameters: {
          ResultParameter: { Key: "TransactionReceipt", Value: "FORGED0001" },
        },
      },
    };
    const answer = await post("/api/mpesa/b2c/result/not-the-real-token", forged);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    const status = await post("/api/mpesa/status/result/not-a-status-token", forged);
    expect(status.status).toBe(200);
    const timeout = await post("/api/mpesa/b2c/timeout/nobody", { Result: { ResultCode: 1 } });
    expect(timeout.status).toBe(200);

    expect(await payoutOf(user.token, payout.id)).toMatchObject({ status: "pending" });
    const audit = await auditOf(payout.id);
    expect(audit.map((a) => [a.kind, a.trusted, a.disposition])).toEqual([
      ["b2c_result", false, "unconfirmed"],
    ]);
    expect(audit[0]?.path).toBe("/api/mpesa/b2c/result/[token]");
  });

  it("a trusted timeout on the status path changes nothing; a trusted result naming another payout is not applied", async () => {
    const user = await payer();
    suite.simulator.setDelayMs(600_000);
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0755666777",
      amount: 120,
    });
    const token = String(bodyOf(payout).ResultURL).split("/").at(-1) ?? "";
    const elsewhere = await post(`/api/mpesa/b2c/result/${token}`, {
      Result: {
        ResultCode: 2001,
        ResultDesc: "The initiator information is invalid.",
        OriginatorConversationID: "someone-else",
      },
    });
    expect(elsewhere.status).toBe(200);
    const timeout = await post(`/api/mpesa/b2c/timeout/${token}`, {
      Result: { ResultType: 1, ResultCode: 1, ResultDesc: "The service request has timed out." },
    });
    expect(timeout.status).toBe(200);
    const again = await post(`/api/mpesa/b2c/timeout/${token}`, { Result: {} });
    expect(again.status).toBe(200);
    const current = await payoutOf(user.token, payout.id);
    expect(current.status).toBe("pending");
    expect(current.queueTimedOutAt).toBeDefined();
    expect((await auditOf(payout.id)).map((a) => [a.kind, a.trusted, a.disposition])).toEqual([
      ["b2c_result", true, "unconfirmed"],
      ["b2c_queue_timeout", true, "applied"],
      ["b2c_queue_timeout", true, "no_change"],
    ]);
  });

  it("answers 400 problem+json to a callback that is not JSON or not a B2C callback", async () => {
    for (const path of [
      "/api/mpesa/b2c/result/x",
      "/api/mpesa/status/result/x",
      "/api/mpesa/b2c/timeout/x",
    ]) {
      const notJson = await post(path, "{oops");
      expect(notJson.status, path).toBe(400);
      expect(notJson.headers.get("content-type"), path).toBe("application/problem+json");
      expect(await notJson.json(), path).toMatchObject({ code: "malformed_request" });
    }
    const stk = await post("/api/mpesa/b2c/result/x", { Body: { stkCallback: {} } });
    expect(stk.status).toBe(400);
    expect(await stk.json()).toMatchObject({ code: "validation_failed" });
    const list = await post("/api/mpesa/status/timeout/x", []);
    expect(list.status).toBe(400);
  });

  it("refuses a payout without a payout config (422 payout_config_missing) and bad input (400), sending nothing", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    const before = suite.simulator.stats().b2cRequests;
    const missing = await payOut(user.token, {
      businessId: user.businessId,
      phone: "0712345678",
      amount: 100,
    });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ code: "payout_config_missing" });
    const bad = await payOut(user.token, {
      businessId: user.businessId,
      phone: "+255712345678",
      amount: 9,
      commandId: "BuyGoods",
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["amount", "commandId", "phone"]);
    const tooMuch = await payOut(user.token, {
      businessId: user.businessId,
      phone: "0712345678",
      amount: 250_001,
    });
    expect(tooMuch.status).toBe(400);
    expect(suite.simulator.stats().b2cRequests).toBe(before);
  });

  it("keeps the initiator password and consumer secret unreadable in the database, the responses and the logs", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    const secrets = {
      initiatorPassword: "Sup3r#Secret&Pass",
      consumerSecret: "own-app-consumer-secret-9876",
    };
    const setup = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest("POST", { ...B2C, ...secrets, consumerKey: "own-app-key" }, user.token),
    );
    expect(setup.status).toBe(201);
    const text = await setup.text();
    const { payoutConfig } = JSON.parse(text) as { payoutConfig: Record<string, unknown> };
    expect(Object.keys(payoutConfig).sort()).toEqual([
      "businessId",
      "createdAt",
      "dailyLimit",
      "hasOwnDarajaApp",
      "id",
      "initiatorName",
      "perPayoutLimit",
      "shortcode",
    ]);
    expect(payoutConfig).toMatchObject({
      businessId: user.businessId,
      shortcode: "600996",
      hasOwnDarajaApp: true,
    });

    const rows = (await suite.database.orm.em
      .getConnection()
      .execute("select * from payout_configs where id = ?", [payoutConfig.id])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(secrets.initiatorPassword);
    expect(raw).not.toContain(secrets.consumerSecret);
    expect(raw).not.toContain(Buffer.from(secrets.initiatorPassword).toString("base64"));
    expect(String(rows[0]?.initiator_password_sealed).length).toBeGreaterThan(20);

    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0712121212",
      amount: 100,
    });
    await settled(user.token, payout.id);
    const logs = suite.payme.logLines().join("\n");
    for (const secret of [...Object.values(secrets), SANDBOX_INITIATOR_PASSWORD]) {
      expect(logs).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
    expect(logs).not.toContain(String(bodyOf(payout).ResultURL).split("/").at(-1));
  });

  it("replacing the payout config keeps one active per business; later payouts use the new one", async () => {
    const user = await payer();
    const replaced = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest("POST", { ...B2C, shortcode: "600997", businessId: user.businessId }, user.token),
    );
    expect(replaced.status).toBe(201);
    const rows = (await suite.database.orm.em
      .getConnection()
      .execute(
        "select shortcode, is_active from payout_configs where business_id = ? order by created_at, id",
        [user.businessId],
      )) as { shortcode: string; is_active: boolean }[];
    expect(rows.map((r) => [r.shortcode, r.is_active])).toEqual([
      ["600996", false],
      ["600997", true],
    ]);
    const payout = await started(user.token, {
      businessId: user.businessId,
      phone: "0712343434",
      amount: 60,
    });
    expect(bodyOf(payout).PartyA).toBe("600997");
  });

  it("checks the payout config setup: fields, a lone consumer key, and businessId with several businesses", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    const bad = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest(
        "POST",
        { shortcode: "12", initiatorName: " ", initiatorPassword: "", consumerKey: "k" },
        user.token,
      ),
    );
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual([
      "consumerSecret",
      "initiatorName",
      "initiatorPassword",
      "shortcode",
    ]);
    await suite.payme.app.request(
      "/api/businesses",
      jsonRequest("POST", { name: "Second shop" }, user.token),
    );
    const ambiguous = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest("POST", B2C, user.token),
    );
    expect(ambiguous.status).toBe(400);
    expect(await ambiguous.json()).toMatchObject({ errors: [{ path: "businessId" }] });
    const named = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest("POST", { ...B2C, businessId: user.businessId }, user.token),
    );
    expect(named.status).toBe(201);
    expect((await suite.payme.app.request("/api/payout-config/setup", jsonRequest("POST", B2C))).status).toBe(
      401,
    );
  });
});
