import { createPublicKey, type KeyObject } from "node:crypto";
import type { Dispatcher } from "undici";
import * as v from "valibot";
import type { Clock } from "../../application/ports/clock.ts";
import type {
  AccountBalanceRequest,
  B2cAccepted,
  B2cAccount,
  B2cPaymentRequest,
  C2bRegistered,
  C2bRegisterRequest,
  DarajaApp,
  GatewayFailure,
  PaymentGateway,
  PulledPayment,
  PullTransactionsRequest,
  ReversalRequest,
  StkPushAccepted,
  StkPushRequest,
  StkQueryOutcome,
  StkQueryRequest,
  TransactionStatusRequest,
} from "../../application/ports/payment-gateway.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import {
  type ClassifiedDarajaError,
  classifyDarajaError,
  type DarajaErrorContext,
  outcomeUnknown,
  unavailable,
} from "./classify-daraja-error.ts";
import { DarajaErrorEnvelope } from "./daraja-error-envelope.ts";
import type { DarajaCallOutcome, DarajaGatewayObserver, DarajaOperation } from "./daraja-gateway-observer.ts";
import { type DarajaExchange, DarajaHttpClient } from "./daraja-http-client.ts";
import {
  B2cAcceptedResponse,
  C2bRegisterResponse,
  OAuthTokenResponse,
  PullTransactionsResponse,
  StkPushResponse,
  StkQueryResponse,
} from "./daraja-responses.ts";
import { nairobiTimestamp } from "./nairobi-timestamp.ts";
import { type IssuedToken, OAuthTokenCache } from "./oauth-token-cache.ts";
import { securityCredential } from "./security-credential.ts";
import type { SharedTokenStore } from "./shared-token-store.ts";
import { stkPassword } from "./stk-password.ts";

export type DarajaGatewayOptions = {
  /** `https://sandbox.safaricom.co.ke`, `https://api.safaricom.co.ke`, or the simulator's URL. */
  readonly baseUrl: string;
  /** PayMe's shared Daraja app, used when a request's `app` is null. */
  readonly consumerKey: string;
  readonly consumerSecret: string;
  /** PEM certificate whose public key encrypts initiator passwords (see darajaCertificate). */
  readonly certificate: string;
  readonly clock: Clock;
  /** Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** Deadline for one whole exchange. Default 30 s: Daraja is often slow, but not slower than this. */
  readonly requestTimeoutMs?: number;
  /** How long before expiry a token is replaced. Default 2 minutes. */
  readonly tokenRefreshMarginMs?: number;
  /** An undici dispatcher to send through (tests, proxies). The gateway then does not close it. */
  readonly dispatcher?: Dispatcher;
  readonly observer?: DarajaGatewayObserver;
  /**
   * Where instances that share a Daraja app share its token (the database); null or absent: this process's
   * tokens are its own.
   */
  readonly sharedTokens?: SharedTokenStore | null;
};

/** STK Query ResultCodes that end a payment. Anything else it answers (4999 …) means it is still pending. */
const FINAL_STK_RESULT_CODES = new Set([
  "1",
  "2",
  "3",
  "4",
  "8",
  "11",
  "17",
  "1001",
  "1019",
  "1025",
  "1032",
  "1037",
  "2001",
  "2028",
  "8006",
  "9999",
  "SFC_IC0003",
]);

const ACCOUNT_REFERENCE_MAX = 12;
const TRANSACTION_DESC_MAX = 13;
const DEFAULT_TRANSACTION_DESC = "Payment";
const REMARKS_MIN = 2;
const REMARKS_MAX = 100;

/** What one port call did on the way, for the observer. */
type Trace = { retriedAfterInvalidToken: boolean };

/**
 * PaymentGateway on Safaricom's Daraja API (or the simulator), over undici.
 *
 * - OAuth: one cached token per app (shared or a business's own), refreshed ahead of expiry, one request in
 *   flight per app. A call refused with "Invalid Access Token" was not processed, so it is sent once more with
 *   a fresh token; that is the only time anything is sent twice.
 * - Every answer is parsed with a schema before it is trusted. Failures come back as typed GatewayFailures with
 *   messages fit for a cashier; none contains a passkey, secret, password or token.
 * - Only a definite refusal (see classifyDarajaError) says a push or payout did not start. One whose answer is
 *   lost, garbled or unclear (a timeout, a 5xx, an HTML page, an unknown envelope) is `outcome_unknown`, never
 *   retried; B2C's duplicate OriginatorConversationID is `already_accepted`.
 */
export class DarajaGateway implements PaymentGateway {
  private readonly http: DarajaHttpClient;
  private readonly tokens: OAuthTokenCache;
  private readonly sharedApp: DarajaApp;
  private readonly publicKey: KeyObject;
  private readonly clock: Clock;
  private readonly observer: DarajaGatewayObserver | null;

  constructor(options: DarajaGatewayOptions) {
    const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.http = new DarajaHttpClient({
      baseUrl: options.baseUrl,
      connectTimeoutMs: Math.min(options.connectTimeoutMs ?? 5_000, requestTimeoutMs),
      requestTimeoutMs,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    this.sharedApp = { consumerKey: options.consumerKey, consumerSecret: options.consumerSecret };
    this.publicKey = createPublicKey(options.certificate);
    this.clock = options.clock;
    this.observer = options.observer ?? null;
    this.tokens = new OAuthTokenCache(
      (app) => this.requestToken(app),
      options.clock,
      options.tokenRefreshMarginMs ?? 120_000,
      options.sharedTokens === undefined || options.sharedTokens === null
        ? null
        : { store: options.sharedTokens, scope: options.baseUrl },
    );
  }

  async stkPush(request: StkPushRequest): Promise<Result<StkPushAccepted, GatewayFailure>> {
    const context = this.context("stk_push", request.businessShortCode, request.app);
    return this.observed(context, async (trace) => {
      const timestamp = nairobiTimestamp(this.clock.now());
      const description = request.description.trim().slice(0, TRANSACTION_DESC_MAX).trim();
      const body = {
        BusinessShortCode: request.businessShortCode,
        Password: stkPassword(request.businessShortCode, request.passkey, timestamp),
        Timestamp: timestamp,
        TransactionType: request.transactionType,
        Amount: request.amount.value,
        PartyA: request.phone.value,
        PartyB: request.partyB,
        PhoneNumber: request.phone.value,
        CallBackURL: request.callbackUrl,
        AccountReference: request.accountReference.trim().slice(0, ACCOUNT_REFERENCE_MAX),
        TransactionDesc: description === "" ? DEFAULT_TRANSACTION_DESC : description,
      };
      const sent = await this.post(trace, context, request.app, "/mpesa/stkpush/v1/processrequest", body);
      if (!sent.ok) {
        return sent;
      }
      const exchange = sent.value;
      if (exchange.kind === "not_sent") {
        return err(unavailable(context));
      }
      if (exchange.kind === "lost") {
        return err(outcomeUnknown(context, "no_answer"));
      }
      const accepted = v.safeParse(StkPushResponse, exchange.json);
      if (isSuccess(exchange.status) && accepted.success && accepted.output.ResponseCode === "0") {
        return ok({
          checkoutRequestId: accepted.output.CheckoutRequestID,
          merchantRequestId: accepted.output.MerchantRequestID?.trim() || null,
        });
      }
      return err(this.failureOf(exchange, context));
    });
  }

  async stkQuery(request: StkQueryRequest): Promise<Result<StkQueryOutcome, GatewayFailure>> {
    const context = this.context("stk_query", request.businessShortCode, request.app);
    return this.observed<StkQueryOutcome>(context, async (trace) => {
      const timestamp = nairobiTimestamp(this.clock.now());
      const body = {
        BusinessShortCode: request.businessShortCode,
        Password: stkPassword(request.businessShortCode, request.passkey, timestamp),
        Timestamp: timestamp,
        CheckoutRequestID: request.checkoutRequestId,
      };
      const sent = await this.post(trace, context, request.app, "/mpesa/stkpushquery/v1/query", body);
      if (!sent.ok) {
        return sent;
      }
      const exchange = sent.value;
      if (exchange.kind !== "answered") {
        // A query changes nothing at Daraja: an unanswered one is simply asked again later.
        return err(unavailable(context));
      }
      const answer = v.safeParse(StkQueryResponse, exchange.json);
      if (isSuccess(exchange.status) && answer.success) {
        const resultCode = answer.output.ResultCode;
        if (resultCode === "0") {
          return ok({ type: "paid" });
        }
        if (FINAL_STK_RESULT_CODES.has(resultCode)) {
          return ok({ type: "unsuccessful", resultCode, description: answer.output.ResultDesc.trim() });
        }
        return ok({ type: "pending" });
      }
      // "Being processed", and any answer that is not a definite refusal, leave the payment as it is.
      const refused = this.refusal(exchange, context);
      const failure = refused === null ? null : definiteFailure(refused);
      return failure === null ? ok({ type: "pending" }) : err(failure);
    });
  }

  async b2cPayment(request: B2cPaymentRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    const remarks = request.remarks.trim().slice(0, REMARKS_MAX);
    return this.initiatorRequest(
      "b2c_payment",
      request.account,
      "/mpesa/b2c/v3/paymentrequest",
      (signed) => ({
        OriginatorConversationID: request.originatorConversationId,
        InitiatorName: signed.initiator,
        SecurityCredential: signed.securityCredential,
        CommandID: request.commandId,
        Amount: request.amount.value,
        PartyA: request.account.shortcode,
        PartyB: request.phone.value,
        Remarks: remarks.length < REMARKS_MIN ? "Payout" : remarks,
        QueueTimeOutURL: request.queueTimeoutUrl,
        ResultURL: request.resultUrl,
      }),
    );
  }

  async transactionStatus(request: TransactionStatusRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    const { account } = request;
    return this.initiatorRequest(
      "transaction_status",
      account,
      "/mpesa/transactionstatus/v1/query",
      (signed) => ({
        Initiator: signed.initiator,
        SecurityCredential: signed.securityCredential,
        CommandID: "TransactionStatusQuery",
        ...(request.transactionId === undefined
          ? { OriginalConversationID: request.originatorConversationId }
          : { TransactionID: request.transactionId }),
        PartyA: account.shortcode,
        // 4: PartyA is an organisation shortcode.
        IdentifierType: "4",
        ResultURL: request.resultUrl,
        QueueTimeOutURL: request.queueTimeoutUrl,
        Remarks: request.transactionId === undefined ? "Payout status" : "Payment status",
        Occasion: request.transactionId === undefined ? "Payout status" : "Payment status",
      }),
    );
  }

  /** Reversal v1: the whole transaction `receipt` goes back, by the initiator of the shortcode that received it. */
  async reverse(request: ReversalRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    const { account } = request;
    const remarks = request.remarks.trim().slice(0, REMARKS_MAX);
    return this.initiatorRequest("reversal", account, "/mpesa/reversal/v1/request", (signed) => ({
      Initiator: signed.initiator,
      SecurityCredential: signed.securityCredential,
      CommandID: "TransactionReversal",
      TransactionID: request.receipt,
      Amount: request.amount.value,
      ReceiverParty: account.shortcode,
      // 11: the receiver is identified by the initiator's organisation (Daraja's samples; the key is misspelt).
      RecieverIdentifierType: "11",
      ResultURL: request.resultUrl,
      QueueTimeOutURL: request.queueTimeoutUrl,
      Remarks: remarks.length < REMARKS_MIN ? "Refund" : remarks,
      Occasion: "Refund",
      // Not documented for Reversal v1 (Daraja names its own in the answer); sent for the record.
      OriginatorConversationID: request.originatorConversationId,
    }));
  }

  async accountBalance(request: AccountBalanceRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    const { account } = request;
    return this.initiatorRequest("account_balance", account, "/mpesa/accountbalance/v1/query", (signed) => ({
      Initiator: signed.initiator,
      SecurityCredential: signed.securityCredential,
      CommandID: "AccountBalance",
      PartyA: account.shortcode,
      // 4: PartyA is an organisation shortcode.
      IdentifierType: "4",
      Remarks: "Balance",
      QueueTimeOutURL: request.queueTimeoutUrl,
      ResultURL: request.resultUrl,
    }));
  }

  /**
   * A request an initiator signs (B2C, Transaction Status, Reversal, Account Balance): its body built with the
   * initiator's name and SecurityCredential, posted, and Daraja's acknowledgement read. The result comes by
   * callback.
   */
  private initiatorRequest(
    operation: DarajaOperation,
    account: B2cAccount,
    path: string,
    body: (signed: {
      readonly initiator: string;
      readonly securityCredential: string;
    }) => Readonly<Record<string, unknown>>,
  ): Promise<Result<B2cAccepted, GatewayFailure>> {
    const context = this.context(operation, account.shortcode, account.app);
    return this.observed(context, async (trace) => {
      const signed = {
        initiator: account.initiatorName,
        securityCredential: securityCredential(this.publicKey, account.initiatorPassword),
      };
      const sent = await this.post(trace, context, account.app, path, body(signed));
      return sent.ok ? this.acknowledgement(sent.value, context) : sent;
    });
  }

  async registerC2bUrls(request: C2bRegisterRequest): Promise<Result<C2bRegistered, GatewayFailure>> {
    const context = this.context("c2b_register", request.shortcode, request.app);
    return this.observed(context, async (trace) => {
      const body = {
        ShortCode: request.shortcode,
        ResponseType: request.responseType,
        ConfirmationURL: request.confirmationUrl,
        ValidationURL: request.validationUrl,
      };
      const sent = await this.post(trace, context, request.app, "/mpesa/c2b/v2/registerurl", body);
      if (!sent.ok) {
        return sent;
      }
      const exchange = sent.value;
      if (exchange.kind === "not_sent") {
        return err(unavailable(context));
      }
      if (exchange.kind === "lost") {
        return err(outcomeUnknown(context, "no_answer"));
      }
      const answer = v.safeParse(C2bRegisterResponse, exchange.json);
      if (isSuccess(exchange.status) && answer.success && answer.output.ResponseCode === "0") {
        const response: Record<string, string> = { ResponseCode: answer.output.ResponseCode };
        const conversation = answer.output.OriginatorCoversationID ?? answer.output.OriginatorConversationID;
        if (conversation !== undefined) {
          response.OriginatorConversationID = conversation;
        }
        if (answer.output.ResponseDescription !== undefined) {
          response.ResponseDescription = answer.output.ResponseDescription;
        }
        return ok({ response });
      }
      const envelope = v.safeParse(DarajaErrorEnvelope, exchange.json);
      if (envelope.success && envelope.output.errorMessage.toLowerCase().includes("already registered")) {
        return err({
          type: "rejected",
          code: envelope.output.errorCode.trim(),
          message:
            "M-Pesa already has confirmation and validation URLs for this shortcode, and production does not replace them. Delete them on the M-Pesa business portal (Self-Service, URL Management) and register again.",
        });
      }
      return err(this.failureOf(exchange, context));
    });
  }

  async pullTransactions(
    request: PullTransactionsRequest,
  ): Promise<Result<readonly PulledPayment[], GatewayFailure>> {
    const context = this.context("pull_transactions", request.shortcode, request.app);
    return this.observed(context, async (trace) => {
      const body = {
        ShortCode: request.shortcode,
        StartDate: nairobiDateTime(request.from),
        EndDate: nairobiDateTime(request.to),
        OffSetValue: String(request.offset),
      };
      const sent = await this.post(trace, context, request.app, "/pulltransactions/v1/query", body);
      if (!sent.ok) {
        return sent;
      }
      const exchange = sent.value;
      if (exchange.kind !== "answered") {
        // Asking changes nothing: an unanswered pull is simply asked again later.
        return err(unavailable(context));
      }
      const answer = v.safeParse(PullTransactionsResponse, exchange.json);
      if (!isSuccess(exchange.status) || !answer.success) {
        const refused = this.refusal(exchange, context);
        return err((refused === null ? null : definiteFailure(refused)) ?? unavailable(context));
      }
      if (answer.output.ResponseCode !== "1000") {
        return ok([]);
      }
      return ok(answer.output.Response.flat().flatMap((record) => pulledPayment(record)));
    });
  }

  /** Closes the gateway's own connections (not a dispatcher passed in). */
  close(): Promise<void> {
    return this.http.close();
  }

  private acknowledgement(
    exchange: DarajaExchange,
    context: DarajaErrorContext,
  ): Result<B2cAccepted, GatewayFailure> {
    if (exchange.kind === "not_sent") {
      return err(unavailable(context));
    }
    if (exchange.kind === "lost") {
      return err(outcomeUnknown(context, "no_answer"));
    }
    const accepted = v.safeParse(B2cAcceptedResponse, exchange.json);
    if (isSuccess(exchange.status) && accepted.success && accepted.output.ResponseCode === "0") {
      return ok({
        conversationId: accepted.output.ConversationID,
        originatorConversationId: accepted.output.OriginatorConversationID,
      });
    }
    return err(this.failureOf(exchange, context));
  }

  /**
   * What an answer other than an acceptance means for a request that can move money (or ask about it): a
   * definite refusal, or `outcome_unknown` for anything that does not prove nothing started (a 5xx Daraja does
   * not document as a refusal, an HTML page, JSON that is neither an acceptance nor the error envelope).
   */
  private failureOf(
    exchange: Extract<DarajaExchange, { kind: "answered" }>,
    context: DarajaErrorContext,
  ): GatewayFailure {
    const refused = this.refusal(exchange, context);
    return (refused === null ? null : definiteFailure(refused)) ?? outcomeUnknown(context, "unclear_answer");
  }

  /**
   * Sends an authorised POST. Daraja refusing the token means the request was not processed, so it is sent
   * once more with a fresh token; a second refusal is reported as invalid credentials, without a third try.
   */
  private async post(
    trace: Trace,
    context: DarajaErrorContext,
    requestApp: DarajaApp | null,
    path: string,
    body: Readonly<Record<string, unknown>>,
  ): Promise<Result<DarajaExchange, GatewayFailure>> {
    const app = requestApp ?? this.sharedApp;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.token(app);
      if (!token.ok) {
        // The token request is shared between callers: say what this call's failure means for this call.
        return err(
          token.error.type === "unavailable"
            ? unavailable(context, token.error.retryAfterSeconds)
            : token.error,
        );
      }
      const exchange = await this.http.send({
        method: "POST",
        path,
        authorization: `Bearer ${token.value}`,
        body,
      });
      const refused = exchange.kind === "answered" ? this.refusal(exchange, context) : null;
      if (refused?.type !== "invalid_access_token") {
        return ok(exchange);
      }
      this.tokens.invalidate(app, token.value);
      if (attempt === 1) {
        trace.retriedAfterInvalidToken = true;
      } else {
        const where = context.ownApp ? "this business's own Daraja app" : "PayMe's Daraja app";
        return err({
          type: "invalid_credentials",
          message: `M-Pesa refused a fresh access token for ${where}. The app may belong to the other environment (sandbox or production), or not be enabled for this API.`,
        });
      }
    }
  }

  private async requestToken(app: DarajaApp): Promise<Result<IssuedToken, GatewayFailure>> {
    const context: DarajaErrorContext = {
      operation: "oauth",
      shortcode: null,
      ownApp: app !== this.sharedApp,
    };
    const started = performance.now();
    const result = await this.fetchToken(app, context);
    this.notify("oauth", result.ok ? "ok" : result.error.type, started, false);
    return result;
  }

  private async fetchToken(
    app: DarajaApp,
    context: DarajaErrorContext,
  ): Promise<Result<IssuedToken, GatewayFailure>> {
    const basic = Buffer.from(`${app.consumerKey}:${app.consumerSecret}`, "utf8").toString("base64");
    const exchange = await this.http.send({
      method: "GET",
      path: "/oauth/v1/generate?grant_type=client_credentials",
      authorization: `Basic ${basic}`,
    });
    if (exchange.kind !== "answered") {
      // Asking for a token changes nothing: an unanswered request is as good as one never sent.
      return err(unavailable(context));
    }
    const issued = v.safeParse(OAuthTokenResponse, exchange.json);
    if (isSuccess(exchange.status) && issued.success) {
      return ok({ accessToken: issued.output.access_token, expiresInSeconds: issued.output.expires_in });
    }
    // Daraja's answer to a wrong key or secret is not documented: a bare 400 or 401 is taken to mean the same
    // as its documented 400.008.01.
    const bareRefusal = exchange.status === 400 || exchange.status === 401;
    const refused =
      this.refusal(exchange, context) ??
      (bareRefusal
        ? classifyDarajaError(
            exchange.status,
            { errorCode: "400.008.01", errorMessage: "Invalid Authentication passed" },
            null,
            context,
          )
        : null);
    // Without a token nothing else was sent: any other answer (a 5xx, a page) leaves the request unsent.
    return err((refused === null ? null : definiteFailure(refused)) ?? unavailable(context));
  }

  /** The error envelope in an answer, classified; null when the answer is not one. */
  private refusal(
    exchange: Extract<DarajaExchange, { kind: "answered" }>,
    context: DarajaErrorContext,
  ): ClassifiedDarajaError | null {
    const envelope = v.safeParse(DarajaErrorEnvelope, exchange.json);
    if (!envelope.success) {
      return null;
    }
    return classifyDarajaError(exchange.status, envelope.output, exchange.retryAfter, context);
  }

  private context(operation: DarajaOperation, shortcode: string, app: DarajaApp | null): DarajaErrorContext {
    return { operation, shortcode, ownApp: app !== null };
  }

  private async observed<T>(
    context: DarajaErrorContext,
    call: (trace: Trace) => Promise<Result<T, GatewayFailure>>,
  ): Promise<Result<T, GatewayFailure>> {
    const started = performance.now();
    const trace: Trace = { retriedAfterInvalidToken: false };
    const result = await call(trace);
    this.notify(
      context.operation,
      result.ok ? "ok" : result.error.type,
      started,
      trace.retriedAfterInvalidToken,
    );
    return result;
  }

  private notify(
    operation: DarajaOperation,
    outcome: DarajaCallOutcome,
    started: number,
    retried: boolean,
  ): void {
    if (this.observer === null) {
      return;
    }
    try {
      this.observer.onCall({
        operation,
        outcome,
        durationMs: performance.now() - started,
        retriedAfterInvalidToken: retried,
      });
    } catch {
      // An observer is for metrics: its failure must not change a payment's outcome.
    }
  }
}

/** `yyyy-MM-dd HH:mm:ss` in Nairobi time, as Pull Transactions takes its window. */
function nairobiDateTime(at: Date): string {
  return new Date(at.getTime() + 3 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

const pulledText = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== ""
    ? value.trim()
    : typeof value === "number"
      ? String(value)
      : null;

/** One Pull Transactions record, or nothing when it is not one PayMe can record as it stands. */
function pulledPayment(record: Readonly<Record<string, unknown>>): PulledPayment[] {
  const receipt = pulledText(record.transactionId);
  const amountText = pulledText(record.amount);
  const amountMatch = amountText === null ? null : /^(\d{1,7})(?:\.0{1,2})?$/.exec(amountText);
  const dateText = pulledText(record.trxDate);
  const paidAt = dateText === null ? null : new Date(dateText);
  if (
    receipt === null ||
    !/^[A-Za-z0-9]{1,32}$/.test(receipt) ||
    amountMatch === null ||
    paidAt === null ||
    Number.isNaN(paidAt.getTime())
  ) {
    return [];
  }
  const amount = Number(amountMatch[1]);
  if (amount < 1 || amount > 1_000_000) {
    return [];
  }
  const limited = (value: string | null, max: number) => (value === null ? null : value.slice(0, max));
  return [
    {
      receipt: receipt.toUpperCase(),
      paidAt,
      amount,
      phone: limited(pulledText(record.msisdn), 128) ?? "",
      accountNumber: limited(pulledText(record.billreference), 64),
      payerName: limited(pulledText(record.organizationname), 64),
      transactionType: limited(pulledText(record.transactiontype), 32) ?? "",
    },
  ];
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The failure a classified envelope reports, or null when it reports none: "being processed", an ambiguous
 * answer (the caller decides: pending for a query, `outcome_unknown` for a push or payout), or an invalid token
 * (which `post` retries, and never hands on).
 */
function definiteFailure(refused: ClassifiedDarajaError): GatewayFailure | null {
  switch (refused.type) {
    case "ambiguous":
    case "being_processed":
    case "invalid_access_token":
      return null;
    default:
      return refused;
  }
}
