import { timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { Agent, request } from "undici";
import * as v from "valibot";
import { SystemClock } from "../clock/system-clock.ts";
import type {
  CallbackDelivery,
  CallbackKind,
  CheckoutView,
  DarajaSimulator,
  DarajaSimulatorOptions,
  DarajaSimulatorStats,
  PayoutView,
  SimulatorApi,
  SimulatorFault,
} from "./daraja-simulator.ts";
import { decryptSecurityCredential } from "./decrypt-security-credential.ts";
import {
  DEVELOPMENT_WALLET_PASSKEY,
  DEVELOPMENT_WALLET_SHORTCODE,
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
  SANDBOX_PASSKEY,
  SANDBOX_SHORTCODE,
} from "./simulator-credentials.ts";
import { nairobiParts, simulatorIds } from "./simulator-ids.ts";
import {
  type B2cOutcome,
  b2cOutcomeFor,
  INITIATOR_INVALID_OUTCOME,
  stkOutcomeFor,
} from "./simulator-outcomes.ts";
import {
  b2cResultBody,
  queueTimeoutBody,
  statusResultBody,
  stkCallbackText,
  stkResult,
} from "./simulator-payloads.ts";
import type { CheckoutRecord, PayoutRecord } from "./simulator-records.ts";
import {
  B2C_V1_RULES,
  B2C_V3_RULES,
  type FieldRule,
  firstInvalidField,
  STK_PUSH_RULES,
  STK_QUERY_RULES,
  TRANSACTION_STATUS_RULES,
} from "./simulator-request-rules.ts";

type Envelope = { readonly status: number; readonly errorCode: string; readonly errorMessage: string };

/** Daraja's code for a refused token differs by API; the simulator answers as each API does. */
const INVALID_TOKEN: Record<Exclude<SimulatorApi, "oauth">, Envelope> = {
  stk_push: { status: 404, errorCode: "404.001.03", errorMessage: "Invalid Access Token" },
  stk_query: { status: 404, errorCode: "404.001.03", errorMessage: "Invalid Access Token" },
  b2c_payment: { status: 401, errorCode: "401.002.01", errorMessage: "Invalid Access Token" },
  transaction_status: { status: 400, errorCode: "400.003.01", errorMessage: "Invalid Access Token" },
};

/** Daraja names the first field it cannot read when the body is not JSON-typed. */
const FIRST_FIELD: Record<Exclude<SimulatorApi, "oauth">, string> = {
  stk_push: "BusinessShortCode",
  stk_query: "BusinessShortCode",
  b2c_payment: "InitiatorName",
  transaction_status: "Initiator",
};

const CALLBACK_TIMEOUT_MS = 10_000;
const APIS: readonly SimulatorApi[] = ["oauth", "stk_push", "stk_query", "b2c_payment", "transaction_status"];

const FaultSchema = v.object({
  api: v.picklist(APIS),
  times: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  delayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
  error: v.optional(
    v.object({
      status: v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599)),
      errorCode: v.string(),
      errorMessage: v.string(),
    }),
  ),
  afterProcessing: v.optional(v.boolean()),
  rawBody: v.optional(
    v.object({
      status: v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(599)),
      body: v.string(),
      contentType: v.optional(v.string()),
    }),
  ),
  callback: v.optional(
    v.object({
      deliveries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10))),
      delayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
    }),
  ),
});

/**
 * Creates a Daraja simulator (README, "Configuration": the simulator): Daraja's paths, bodies and error envelopes;
 * OAuth tokens that expire; STK push checks as strict as Daraja's (fields, lengths, whole amounts, phone format,
 * TransactionType against PartyB, the password for shortcodes whose passkey it knows and its timestamp for all);
 * STK Query "being processed" until settled; B2C v1/v3 with SecurityCredentials decrypted by its own dev key;
 * Transaction Status; callbacks shaped like real ones after `delayMs`, outcomes picked by phone number.
 * It also serves its statistics, and takes faults, under `/__simulator/…` (not a Daraja path).
 */
export function createDarajaSimulator(options: DarajaSimulatorOptions = {}): DarajaSimulator {
  const clock = options.clock ?? new SystemClock();
  const log = options.log ?? (() => undefined);
  const queryLatencyMs = options.queryLatencyMs ?? 0;
  let delayMs = options.delayMs ?? 1000;
  let tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const requiredApp =
    options.consumerKey !== undefined && options.consumerSecret !== undefined
      ? { key: options.consumerKey, secret: options.consumerSecret }
      : null;
  const passkeys = new Map<string, string>([
    [SANDBOX_SHORTCODE, SANDBOX_PASSKEY],
    [DEVELOPMENT_WALLET_SHORTCODE, DEVELOPMENT_WALLET_PASSKEY],
    ...Object.entries(options.passkeys ?? {}),
  ]);
  const initiators = new Map<string, string>([
    [SANDBOX_INITIATOR_NAME, SANDBOX_INITIATOR_PASSWORD],
    ...Object.entries(options.initiators ?? {}),
  ]);

  // State.
  let tokens = new Map<string, { consumerKey: string; expiresAt: number }>();
  let checkouts = new Map<string, CheckoutRecord>();
  let payouts = new Map<string, PayoutRecord>();
  let pushBodies: Record<string, unknown>[] = [];
  let payoutBodies: Record<string, unknown>[] = [];
  let deliveries: CallbackDelivery[] = [];
  let faults: { fault: SimulatorFault; left: number }[] = [];
  let oauthRequests: Record<string, number> = {};
  let authorisedRequests: Record<string, number> = {};
  let requests = emptyRequestCounts();
  let queryCounts: Record<string, number> = {};
  let queriesInFlight = new Map<string, number>();
  let maxConcurrentQueries = 0;
  let transactionStatusRequests = 0;
  let pushCount = 0;
  let receipts = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const settleTimers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const callbackAgent = new Agent({ connect: { timeout: CALLBACK_TIMEOUT_MS } });

  const app = new Hono();

  // ---------------------------------------------------------------- plumbing

  function envelope(e: Envelope, requestId = simulatorIds.requestId()): Response {
    return json({ requestId, errorCode: e.errorCode, errorMessage: e.errorMessage }, e.status);
  }

  function badRequest(field: string): Response {
    return envelope({ status: 400, errorCode: "400.002.02", errorMessage: `Bad Request - Invalid ${field}` });
  }

  function schedule(task: () => Promise<void>, afterMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      timers.delete(timer);
      track(task());
    }, afterMs);
    timers.add(timer);
    return timer;
  }

  function track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => log("simulator task failed", { error: String(error) }));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  }

  async function deliver(kind: CallbackKind, url: string, text: string): Promise<void> {
    const at = clock.now().toISOString();
    const body: unknown = JSON.parse(text);
    try {
      const response = await request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: text,
        dispatcher: callbackAgent,
        headersTimeout: CALLBACK_TIMEOUT_MS,
        bodyTimeout: CALLBACK_TIMEOUT_MS,
      });
      await response.body.dump();
      deliveries.push({ kind, url, body, status: response.statusCode, error: null, at });
      if (response.statusCode >= 300) {
        log("callback refused", { kind, url: redactUrl(url), status: response.statusCode });
      }
    } catch (error) {
      // Daraja does not retry a callback it could not deliver; neither does the simulator.
      const message = error instanceof Error ? error.message : String(error);
      deliveries.push({ kind, url, body, status: null, error: message, at });
      log("callback not delivered", { kind, url: redactUrl(url), error: message });
    }
  }

  function takeFault(api: SimulatorApi): SimulatorFault | null {
    const entry = faults.find((candidate) => candidate.fault.api === api);
    if (entry === undefined) {
      return null;
    }
    entry.left -= 1;
    if (entry.left <= 0) {
      faults = faults.filter((candidate) => candidate !== entry);
    }
    return entry.fault;
  }

  /**
   * Wraps a Daraja route: counts it, applies any fault, checks the bearer token and reads the JSON body. The
   * handler sees the fault, for what it says about callbacks.
   */
  function daraja(
    api: Exclude<SimulatorApi, "oauth">,
    handler: (body: Record<string, unknown>, fault: SimulatorFault | null) => Promise<Response> | Response,
  ) {
    return async (c: Context): Promise<Response> => {
      requests[api] += 1;
      const fault = takeFault(api);
      if (fault?.error !== undefined && fault.afterProcessing !== true) {
        await sleep(fault.delayMs ?? 0);
        return envelope(fault.error);
      }
      const response = await authorisedJson(c, api, (body) => handler(body, fault));
      await sleep(fault?.delayMs ?? 0);
      if (fault?.error !== undefined) {
        // Acted on, then answered as if it had failed: the caller cannot tell what happened.
        return envelope(fault.error);
      }
      if (fault?.rawBody !== undefined) {
        return new Response(fault.rawBody.body, {
          status: fault.rawBody.status,
          headers: { "content-type": fault.rawBody.contentType ?? "text/html" },
        });
      }
      return response;
    };
  }

  async function authorisedJson(
    c: Context,
    api: Exclude<SimulatorApi, "oauth">,
    handler: (body: Record<string, unknown>) => Promise<Response> | Response,
  ): Promise<Response> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    const token = bearer === undefined ? undefined : tokens.get(bearer);
    if (token === undefined || token.expiresAt <= clock.now().getTime()) {
      return envelope(INVALID_TOKEN[api]);
    }
    authorisedRequests[token.consumerKey] = (authorisedRequests[token.consumerKey] ?? 0) + 1;
    if (!(c.req.header("content-type") ?? "").toLowerCase().includes("application/json")) {
      return badRequest(FIRST_FIELD[api]);
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return envelope({ status: 400, errorCode: "400.002.05", errorMessage: "Invalid Request Payload" });
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return envelope({ status: 400, errorCode: "400.002.05", errorMessage: "Invalid Request Payload" });
    }
    return handler(body as Record<string, unknown>);
  }

  /** "Wrong credentials" unless Password is base64(BusinessShortCode + passkey + Timestamp). */
  function passwordProblem(body: Record<string, unknown>): Response | null {
    const shortcode = String(body.BusinessShortCode);
    const timestamp = String(body.Timestamp);
    const decoded = Buffer.from(String(body.Password), "base64").toString("utf8");
    const known = passkeys.get(shortcode);
    const matches =
      known === undefined
        ? // Any passkey will do for a shortcode the simulator does not know, but the password must still be
          // built from this body's shortcode and timestamp.
          decoded.length > shortcode.length + timestamp.length &&
          decoded.startsWith(shortcode) &&
          decoded.endsWith(timestamp)
        : safeEqual(decoded, `${shortcode}${known}${timestamp}`);
    return matches
      ? null
      : envelope({ status: 500, errorCode: "500.001.1001", errorMessage: "Wrong credentials" });
  }

  // ---------------------------------------------------------------- OAuth

  app.get("/oauth/v1/generate", async (c) => {
    requests.oauth += 1;
    const fault = takeFault("oauth");
    const credentials = basicCredentials(c.req.header("authorization"));
    if (credentials !== null) {
      oauthRequests[credentials.key] = (oauthRequests[credentials.key] ?? 0) + 1;
    }
    await sleep(fault?.delayMs ?? 0);
    if (fault?.error !== undefined) {
      return envelope(fault.error);
    }
    if (fault?.rawBody !== undefined) {
      return new Response(fault.rawBody.body, { status: fault.rawBody.status });
    }
    if (c.req.query("grant_type") !== "client_credentials") {
      return envelope({ status: 400, errorCode: "400.008.02", errorMessage: "Invalid grant type passed" });
    }
    const accepted =
      credentials !== null &&
      credentials.key !== "" &&
      credentials.secret !== "" &&
      (requiredApp === null ||
        (safeEqual(credentials.key, requiredApp.key) && safeEqual(credentials.secret, requiredApp.secret)));
    if (!accepted || credentials === null) {
      return envelope({
        status: 400,
        errorCode: "400.008.01",
        errorMessage: "Invalid Authentication passed",
      });
    }
    const accessToken = simulatorIds.accessToken();
    tokens.set(accessToken, {
      consumerKey: credentials.key,
      expiresAt: clock.now().getTime() + tokenTtlSeconds * 1000,
    });
    // Daraja's live answer: a string, one second short of the token's life.
    return json({ access_token: accessToken, expires_in: String(Math.max(tokenTtlSeconds - 1, 0)) }, 200);
  });

  // ---------------------------------------------------------------- STK push

  app.post(
    "/mpesa/stkpush/v1/processrequest",
    daraja("stk_push", (body, fault) => {
      pushBodies.push(body);
      pushCount += 1;
      const invalid = firstInvalidField(body, STK_PUSH_RULES);
      if (invalid !== null) {
        return badRequest(invalid);
      }
      const businessShortCode = String(body.BusinessShortCode);
      const partyB = String(body.PartyB);
      const transactionType = String(body.TransactionType);
      // A paybill is credited to itself; only Buy Goods credits a till other than the store number.
      if (transactionType === "CustomerPayBillOnline" && partyB !== businessShortCode) {
        return badRequest("PartyB");
      }
      const wrong = passwordProblem(body);
      if (wrong !== null) {
        return wrong;
      }
      const phone = String(body.PhoneNumber);
      const outcome = stkOutcomeFor(phone);
      if (outcome.kind === "busy") {
        return envelope({
          status: 500,
          errorCode: "500.001.1001",
          errorMessage:
            "Unable to lock subscriber, a transaction is already in process for the current subscriber",
        });
      }
      let at = clock.now();
      let checkoutRequestId = simulatorIds.checkoutRequestId(at, phone);
      while (checkouts.has(checkoutRequestId)) {
        at = new Date(at.getTime() + 1);
        checkoutRequestId = simulatorIds.checkoutRequestId(at, phone);
      }
      const checkout: CheckoutRecord = {
        checkoutRequestId,
        merchantRequestId: simulatorIds.merchantRequestId(),
        businessShortCode,
        transactionType,
        partyB,
        phone,
        amount: Number(body.Amount),
        accountReference: String(body.AccountReference),
        callbackUrl: String(body.CallBackURL),
        outcome,
        callbackDeliveries: fault?.callback?.deliveries ?? null,
        decimalAmount: pushCount % 2 === 0,
        status: "pending",
        receipt: null,
        transactionDate: null,
      };
      checkouts.set(checkoutRequestId, checkout);
      settleTimers.set(
        checkoutRequestId,
        schedule(() => settleCheckout(checkout), delayMs + (fault?.callback?.delayMs ?? 0)),
      );
      return json(
        {
          MerchantRequestID: checkout.merchantRequestId,
          CheckoutRequestID: checkoutRequestId,
          ResponseCode: "0",
          ResponseDescription: "Success. Request accepted for processing",
          CustomerMessage: "Success. Request accepted for processing",
        },
        200,
      );
    }),
  );

  async function settleCheckout(checkout: CheckoutRecord): Promise<void> {
    if (checkout.status === "settled") {
      return;
    }
    checkout.status = "settled";
    const { outcome } = checkout;
    if (outcome.kind === "paid") {
      checkout.receipt = freshReceipt();
      const p = nairobiParts(clock.now());
      checkout.transactionDate = `${p.year}${p.month}${p.day}${p.hours}${p.minutes}${p.seconds}`;
    }
    const text = stkCallbackText(checkout);
    const times = checkout.callbackDeliveries ?? (outcome.kind === "paid" ? outcome.deliveries : 1);
    if (times === 1) {
      await deliver("stk_callback", checkout.callbackUrl, text);
    } else if (times > 1) {
      // Duplicates as seen in the wild: two deliveries racing each other, then late ones.
      await Promise.all([
        deliver("stk_callback", checkout.callbackUrl, text),
        deliver("stk_callback", checkout.callbackUrl, text),
      ]);
      for (let sent = 2; sent < times; sent++) {
        await sleep(Math.min(delayMs, 200));
        await deliver("stk_callback", checkout.callbackUrl, text);
      }
    }
  }

  function freshReceipt(): string {
    let receipt = simulatorIds.receipt();
    while (receipts.has(receipt)) {
      receipt = simulatorIds.receipt();
    }
    receipts.add(receipt);
    return receipt;
  }

  // ---------------------------------------------------------------- STK Query

  app.post(
    "/mpesa/stkpushquery/v1/query",
    daraja("stk_query", async (body) => {
      const id = typeof body.CheckoutRequestID === "string" ? body.CheckoutRequestID : null;
      if (id !== null) {
        queryCounts[id] = (queryCounts[id] ?? 0) + 1;
        const now = (queriesInFlight.get(id) ?? 0) + 1;
        queriesInFlight.set(id, now);
        maxConcurrentQueries = Math.max(maxConcurrentQueries, now);
      }
      try {
        await sleep(queryLatencyMs);
        return answerQuery(body);
      } finally {
        if (id !== null) {
          queriesInFlight.set(id, (queriesInFlight.get(id) ?? 1) - 1);
        }
      }
    }),
  );

  function answerQuery(body: Record<string, unknown>): Response {
    const invalid = firstInvalidField(body, STK_QUERY_RULES);
    if (invalid !== null) {
      return badRequest(invalid);
    }
    const wrong = passwordProblem(body);
    if (wrong !== null) {
      return wrong;
    }
    const checkout = checkouts.get(String(body.CheckoutRequestID));
    if (checkout === undefined || checkout.businessShortCode !== String(body.BusinessShortCode)) {
      return badRequest("CheckoutRequestID");
    }
    if (checkout.status === "pending") {
      return envelope(
        { status: 500, errorCode: "500.001.1001", errorMessage: "The transaction is being processed" },
        checkout.checkoutRequestId,
      );
    }
    const { resultCode, resultDesc } = stkResult(checkout.outcome);
    return json(
      {
        ResponseCode: "0",
        // Safaricom's own spelling.
        ResponseDescription: "The service request has been accepted successsfully",
        MerchantRequestID: checkout.merchantRequestId,
        CheckoutRequestID: checkout.checkoutRequestId,
        ResultCode: String(resultCode),
        ResultDesc: resultDesc,
      },
      200,
    );
  }

  // ---------------------------------------------------------------- B2C

  const b2c = (rules: readonly FieldRule[], version: "v1" | "v3") =>
    daraja("b2c_payment", (body, fault) => {
      payoutBodies.push(body);
      const invalid = firstInvalidField(body, rules);
      if (invalid !== null) {
        return badRequest(invalid);
      }
      const originatorConversationId =
        version === "v3" ? String(body.OriginatorConversationID) : simulatorIds.originatorConversationId();
      if (payouts.has(originatorConversationId)) {
        return envelope({
          status: 500,
          errorCode: "500.002.1001",
          errorMessage: "Duplicate OriginatorConversationID.",
        });
      }
      const initiatorName = String(body.InitiatorName);
      const phone = String(body.PartyB);
      const now = clock.now();
      const payout: PayoutRecord = {
        originatorConversationId,
        conversationId: simulatorIds.conversationId(now),
        initiatorName,
        shortcode: String(body.PartyA),
        phone,
        amount: Number(body.Amount),
        commandId: String(body.CommandID),
        resultUrl: String(body.ResultURL),
        queueTimeoutUrl: String(body.QueueTimeOutURL),
        securityCredential: String(body.SecurityCredential),
        outcome: null,
        callbackDeliveries: fault?.callback?.deliveries ?? null,
        requestedAt: now,
        status: "pending",
        receipt: null,
        completedAt: null,
      };
      payouts.set(originatorConversationId, payout);
      schedule(() => settlePayout(payout), delayMs + (fault?.callback?.delayMs ?? 0));
      return json(
        {
          ConversationID: payout.conversationId,
          OriginatorConversationID: originatorConversationId,
          ResponseCode: "0",
          ResponseDescription: "Accept the service request successfully.",
        },
        200,
      );
    });

  app.post("/mpesa/b2c/v3/paymentrequest", b2c(B2C_V3_RULES, "v3"));
  app.post("/mpesa/b2c/v1/paymentrequest", b2c(B2C_V1_RULES, "v1"));

  /** True when the credential decrypts with the simulator's key, and to the right password for a known initiator. */
  function initiatorAccepted(initiatorName: string, credential: string): boolean {
    const password = decryptSecurityCredential(credential);
    if (password === null) {
      return false;
    }
    const expected = initiators.get(initiatorName);
    return expected === undefined || safeEqual(password, expected);
  }

  /** What the payout does: the phone's outcome, once the initiator's credentials check out. */
  function outcomeOf(payout: PayoutRecord): B2cOutcome {
    payout.outcome ??= initiatorAccepted(payout.initiatorName, payout.securityCredential)
      ? b2cOutcomeFor(payout.phone)
      : INITIATOR_INVALID_OUTCOME;
    return payout.outcome;
  }

  async function settlePayout(payout: PayoutRecord): Promise<void> {
    if (payout.status === "settled") {
      return;
    }
    payout.status = "settled";
    const outcome = outcomeOf(payout);
    payout.completedAt = clock.now();
    const times = (usual: number) => payout.callbackDeliveries ?? usual;
    if (outcome.kind === "failed") {
      // A B2C account short of funds still gets a real TransactionID; other failures get a placeholder.
      payout.receipt = outcome.resultCode === 1 ? freshReceipt() : simulatorIds.placeholderReceipt();
      const text = JSON.stringify(b2cResultBody(payout, outcome, payout.completedAt));
      for (let sent = 0; sent < times(1); sent++) {
        await deliver("b2c_result", payout.resultUrl, text);
      }
      return;
    }
    // A Transaction Status query may have named the receipt already.
    payout.receipt ??= freshReceipt();
    if (outcome.kind === "queue_timeout") {
      // The money moved, but its result never comes: only a Transaction Status query tells.
      const text = JSON.stringify(queueTimeoutBody(payout));
      for (let sent = 0; sent < times(1); sent++) {
        await deliver("b2c_queue_timeout", payout.queueTimeoutUrl, text);
      }
      return;
    }
    const text = JSON.stringify(b2cResultBody(payout, outcome, payout.completedAt));
    for (let sent = 0; sent < times(outcome.deliveries); sent++) {
      await deliver("b2c_result", payout.resultUrl, text);
    }
  }

  // ---------------------------------------------------------------- Transaction Status

  app.post(
    "/mpesa/transactionstatus/v1/query",
    daraja("transaction_status", (body) => {
      transactionStatusRequests += 1;
      const invalid = firstInvalidField(body, TRANSACTION_STATUS_RULES);
      const transactionId = typeof body.TransactionID === "string" ? body.TransactionID.trim() : "";
      const original =
        typeof body.OriginalConversationID === "string" ? body.OriginalConversationID.trim() : "";
      if (invalid !== null) {
        return badRequest(invalid);
      }
      if (transactionId === "" && original === "") {
        return badRequest("TransactionID");
      }
      const now = clock.now();
      const ack = {
        ConversationID: simulatorIds.conversationId(now),
        OriginatorConversationID: simulatorIds.originatorConversationId(),
      };
      const initiator = String(body.Initiator);
      const credential = String(body.SecurityCredential);
      const target =
        original !== ""
          ? (payouts.get(original) ?? null)
          : ([...payouts.values()].find((payout) => payout.receipt === transactionId) ?? null);
      const resultUrl = String(body.ResultURL);
      schedule(async () => {
        const payout = target === null ? null : { record: target, outcome: outcomeOf(target) };
        if (payout !== null && payout.outcome.kind !== "failed") {
          // The money has moved by the time anyone can ask: name its receipt now.
          payout.record.receipt ??= freshReceipt();
        }
        const result = statusResultBody({
          ack,
          initiatorAccepted: initiatorAccepted(initiator, credential),
          payout,
          now: clock.now(),
        });
        await deliver("status_result", resultUrl, JSON.stringify(result));
      }, delayMs);
      return json(
        { ...ack, ResponseCode: "0", ResponseDescription: "Accept the service request successfully." },
        200,
      );
    }),
  );

  // ---------------------------------------------------------------- inspection (not Daraja)
  // Over HTTP, passwords and the secret tokens in callback URLs are redacted: the in-process handle has them.

  app.get("/__simulator/stats", (c) => c.json(stats()));
  app.get("/__simulator/stk-pushes", (c) =>
    c.json({
      pushes: pushBodies.map((body) => ({
        ...body,
        ...(body.Password === undefined ? {} : { Password: "[redacted]" }),
        ...(typeof body.CallBackURL === "string" ? { CallBackURL: redactUrl(body.CallBackURL) } : {}),
      })),
    }),
  );
  const redactedCheckout = (view: CheckoutView | null) =>
    view === null ? null : { ...view, callbackUrl: redactUrl(view.callbackUrl) };
  app.get("/__simulator/checkouts/:id", (c) => {
    const view = redactedCheckout(checkoutView(c.req.param("id")));
    return view === null ? c.json({ error: "unknown checkout" }, 404) : c.json(view);
  });
  app.post("/__simulator/checkouts/:id/settle", async (c) => {
    const view = redactedCheckout(await settle(c.req.param("id")));
    return view === null ? c.json({ error: "unknown checkout" }, 404) : c.json(view);
  });
  app.get("/__simulator/payouts/:id", (c) => {
    const view = payoutView(c.req.param("id"));
    return view === null ? c.json({ error: "unknown payout" }, 404) : c.json(view);
  });
  app.get("/__simulator/callbacks", (c) =>
    c.json({ callbacks: deliveries.map((delivery) => ({ ...delivery, url: redactUrl(delivery.url) })) }),
  );
  app.post("/__simulator/faults", async (c) => {
    const parsed = v.safeParse(FaultSchema, await c.req.json().catch(() => null));
    if (!parsed.success) {
      return c.json(
        { error: "not a fault: { api, times?, delayMs?, error?, afterProcessing?, rawBody?, callback? }" },
        400,
      );
    }
    injectFault(parsed.output);
    return c.json({ ok: true });
  });
  app.post("/__simulator/revoke-tokens", (c) => {
    revokeTokens();
    return c.json({ ok: true });
  });
  app.post("/__simulator/reset", (c) => {
    reset();
    return c.json({ ok: true });
  });

  // ---------------------------------------------------------------- Daraja's answers to the rest

  const paths = [
    "/oauth/v1/generate",
    "/mpesa/stkpush/v1/processrequest",
    "/mpesa/stkpushquery/v1/query",
    "/mpesa/b2c/v3/paymentrequest",
    "/mpesa/b2c/v1/paymentrequest",
    "/mpesa/transactionstatus/v1/query",
  ];
  for (const path of paths) {
    app.all(path, () => envelope({ status: 405, errorCode: "405.001", errorMessage: "Method Not Allowed" }));
  }
  app.notFound(() => envelope({ status: 404, errorCode: "404.001.01", errorMessage: "Resource not found" }));
  app.onError((error) => {
    log("simulator error", { error: error.message });
    return envelope({ status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" });
  });

  // ---------------------------------------------------------------- handle

  function checkoutView(id: string): CheckoutView | null {
    const checkout = checkouts.get(id);
    if (checkout === undefined) {
      return null;
    }
    const settled = checkout.status === "settled" ? stkResult(checkout.outcome) : null;
    return {
      checkoutRequestId: checkout.checkoutRequestId,
      merchantRequestId: checkout.merchantRequestId,
      businessShortCode: checkout.businessShortCode,
      transactionType: checkout.transactionType,
      partyB: checkout.partyB,
      phone: checkout.phone,
      amount: checkout.amount,
      accountReference: checkout.accountReference,
      callbackUrl: checkout.callbackUrl,
      status: checkout.status,
      resultCode: settled === null ? null : String(settled.resultCode),
      resultDesc: settled?.resultDesc ?? null,
      receipt: checkout.receipt,
      transactionDate: checkout.transactionDate,
    };
  }

  function payoutView(id: string): PayoutView | null {
    const payout = payouts.get(id);
    if (payout === undefined) {
      return null;
    }
    const settled = payout.status === "settled";
    const outcome = settled ? outcomeOf(payout) : null;
    const failed = outcome?.kind === "failed" ? outcome : null;
    return {
      originatorConversationId: payout.originatorConversationId,
      conversationId: payout.conversationId,
      initiatorName: payout.initiatorName,
      shortcode: payout.shortcode,
      phone: payout.phone,
      amount: payout.amount,
      commandId: payout.commandId,
      status: payout.status,
      resultCode: settled ? String(failed?.resultCode ?? 0) : null,
      resultDesc: settled ? (failed?.resultDesc ?? "The service request is processed successfully.") : null,
      receipt: payout.receipt,
      queueTimedOut: outcome?.kind === "queue_timeout",
    };
  }

  async function settle(id: string): Promise<CheckoutView | null> {
    const checkout = checkouts.get(id);
    if (checkout === undefined) {
      return null;
    }
    const timer = settleTimers.get(id);
    if (timer !== undefined) {
      clearTimeout(timer);
      timers.delete(timer);
    }
    const settling = settleCheckout(checkout);
    track(settling);
    await settling;
    return checkoutView(id);
  }

  function stats(): DarajaSimulatorStats {
    return {
      oauthRequests: { ...oauthRequests },
      authorisedRequests: { ...authorisedRequests },
      requests: { ...requests },
      stkPushes: pushBodies.length,
      b2cRequests: payoutBodies.length,
      transactionStatusRequests,
      stkQueries: { ...queryCounts },
      maxConcurrentQueriesPerCheckout: maxConcurrentQueries,
      callbacksDelivered: deliveries.filter((d) => d.status !== null && d.status < 300).length,
      callbacksFailed: deliveries.filter((d) => d.status === null || d.status >= 300).length,
    };
  }

  function injectFault(fault: SimulatorFault): void {
    faults.push({ fault, left: fault.times ?? 1 });
  }

  function revokeTokens(): void {
    tokens = new Map();
  }

  function reset(): void {
    for (const timer of timers) {
      clearTimeout(timer);
    }
    timers.clear();
    settleTimers.clear();
    tokens = new Map();
    checkouts = new Map();
    payouts = new Map();
    pushBodies = [];
    payoutBodies = [];
    deliveries = [];
    faults = [];
    oauthRequests = {};
    authorisedRequests = {};
    requests = emptyRequestCounts();
    queryCounts = {};
    queriesInFlight = new Map();
    maxConcurrentQueries = 0;
    transactionStatusRequests = 0;
    pushCount = 0;
    receipts = new Set();
  }

  async function whenIdle(): Promise<void> {
    while (timers.size > 0 || inFlight.size > 0) {
      if (inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
      } else {
        await sleep(Math.max(5, Math.min(delayMs, 50)));
      }
    }
  }

  async function close(): Promise<void> {
    for (const timer of timers) {
      clearTimeout(timer);
    }
    timers.clear();
    await Promise.allSettled([...inFlight]);
    await callbackAgent.close();
  }

  return {
    app,
    async listen(port = 0, hostname = "127.0.0.1") {
      const { server, address } = await new Promise<{
        server: ReturnType<typeof serve>;
        address: AddressInfo;
      }>((resolve, reject) => {
        const started = serve({ fetch: app.fetch, port, hostname }, (info) =>
          resolve({ server: started, address: info }),
        );
        started.once("error", reject);
      });
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return {
        url: `http://${host}:${address.port}`,
        async close() {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            if ("closeAllConnections" in server) {
              server.closeAllConnections();
            }
          });
          await close();
        },
      };
    },
    stats,
    stkPushBodies: () => [...pushBodies],
    b2cBodies: () => [...payoutBodies],
    checkout: checkoutView,
    settle,
    payout: payoutView,
    callbacks: () => [...deliveries],
    whenIdle,
    revokeTokens,
    injectFault,
    setDelayMs(value) {
      delayMs = value;
    },
    setTokenTtlSeconds(value) {
      tokenTtlSeconds = value;
    },
    reset,
    close,
  };
}

function emptyRequestCounts(): Record<SimulatorApi, number> {
  return { oauth: 0, stk_push: 0, stk_query: 0, b2c_payment: 0, transaction_status: 0 };
}

function basicCredentials(header: string | undefined): { key: string; secret: string } | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "")?.[1];
  if (encoded === undefined) {
    return null;
  }
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8" },
  });
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/** A callback URL carries the payment's secret token as its last path segment: keep the rest only. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split("/");
    segments[segments.length - 1] = "[redacted]";
    return `${parsed.origin}${segments.join("/")}`;
  } catch {
    return "(not a URL)";
  }
}
