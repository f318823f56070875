import type {
  AccountBalanceRequest,
  B2cAccepted,
  B2cPaymentRequest,
  C2bRegistered,
  C2bRegisterRequest,
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

/** What the gateway does with one request: answer (an acceptance or a failure), or throw as a broken network would. */
export type ScriptedAnswer<T> = Result<T, GatewayFailure> | { readonly throws: Error };

/** An answer, or a function of the request (and of how many requests of its kind came before) that gives one. */
export type Responder<Req, T> = ScriptedAnswer<T> | ((request: Req, index: number) => ScriptedAnswer<T>);

/** The error a scripted network failure throws: the request may or may not have reached Daraja. */
export class GatewayNetworkError extends Error {
  constructor(message = "socket hang up") {
    super(message);
    this.name = "GatewayNetworkError";
  }
}

/**
 * The requests of one kind a test has seen, and the answers it has lined up: `next` answers the next request
 * once (in the order given), `otherwise` answers every request nothing is lined up for.
 */
export class ScriptedCalls<Req, T> {
  readonly requests: Req[] = [];
  private readonly queue: Responder<Req, T>[] = [];

  constructor(private fallback: Responder<Req, T>) {}

  /** Answers the next request not yet answered by an earlier `next` (one each, first in, first out). */
  next(...answers: Responder<Req, T>[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** Answers every request once the lined-up answers are used. */
  otherwise(answer: Responder<Req, T>): this {
    this.fallback = answer;
    return this;
  }

  /** The last request seen; throws when there was none, so a test cannot read a request that was never sent. */
  get last(): Req {
    const last = this.requests.at(-1);
    if (last === undefined) {
      throw new Error("no request of this kind was sent");
    }
    return last;
  }

  async answer(request: Req): Promise<Result<T, GatewayFailure>> {
    const index = this.requests.length;
    this.requests.push(request);
    const responder = this.queue.shift() ?? this.fallback;
    const scripted = typeof responder === "function" ? responder(request, index) : responder;
    if ("throws" in scripted) {
      throw scripted.throws;
    }
    return scripted;
  }
}

/** Answers for scripts: a definite refusal, an ambiguous answer, a thrown network error. */
export const gatewayAnswers = {
  refused(type: "subscriber_busy" | "invalid_credentials" | "merchant_not_found" = "subscriber_busy") {
    return err({ type, message: `Daraja refused: ${type}` });
  },
  rejected(code = "400.002.02") {
    return err({ type: "rejected" as const, code, message: "Bad Request - Invalid Amount" });
  },
  rateLimited() {
    return err({ type: "rate_limited" as const, retryAfterSeconds: 60, message: "Spike arrest violation" });
  },
  unavailable() {
    return err({ type: "unavailable" as const, retryAfterSeconds: 30, message: "Daraja cannot be reached" });
  },
  outcomeUnknown() {
    return err({ type: "outcome_unknown" as const, message: "Daraja did not answer in time" });
  },
  alreadyAccepted() {
    return err({ type: "already_accepted" as const, message: "Duplicate OriginatorConversationID." });
  },
  networkError(message?: string): { readonly throws: Error } {
    return { throws: new GatewayNetworkError(message) };
  },
} as const;

/**
 * A Daraja that answers from a script, for unit tests and the simulation. It records every request, per kind,
 * and answers each from what the test lined up (`gateway.script.stkPush.next(answer)`), or else from the kind's
 * default: pushes, B2C payments and status queries are accepted with fresh sequential ids, and an STK Query says
 * the payment is still being processed. Deterministic: no timers, no randomness.
 */
export class InMemoryPaymentGateway implements PaymentGateway {
  private counter = 0;

  readonly script = {
    stkPush: new ScriptedCalls<StkPushRequest, StkPushAccepted>(() => ok(this.pushAccepted())),
    stkQuery: new ScriptedCalls<StkQueryRequest, StkQueryOutcome>(ok({ type: "pending" })),
    b2cPayment: new ScriptedCalls<B2cPaymentRequest, B2cAccepted>((request) =>
      ok(this.b2cAccepted(request.originatorConversationId)),
    ),
    transactionStatus: new ScriptedCalls<TransactionStatusRequest, B2cAccepted>(() =>
      ok(this.b2cAccepted(`status-${this.counter + 1}`)),
    ),
    accountBalance: new ScriptedCalls<AccountBalanceRequest, B2cAccepted>(() =>
      ok(this.b2cAccepted(`balance-${this.counter + 1}`)),
    ),
    registerC2bUrls: new ScriptedCalls<C2bRegisterRequest, C2bRegistered>(
      ok({ response: { ResponseCode: "0", ResponseDescription: "Success" } }),
    ),
    pullTransactions: new ScriptedCalls<PullTransactionsRequest, readonly PulledPayment[]>(ok([])),
    reverse: new ScriptedCalls<ReversalRequest, B2cAccepted>((request, index) =>
      ok({
        conversationId: `AG_reversal_${index + 1}`,
        originatorConversationId: request.originatorConversationId,
      }),
    ),
  };

  /** A fresh acceptance of an STK push: `ws_CO_000001`, `29115-000001`, … */
  pushAccepted(): StkPushAccepted {
    this.counter += 1;
    const n = String(this.counter).padStart(6, "0");
    return { checkoutRequestId: `ws_CO_${n}`, merchantRequestId: `29115-${n}` };
  }

  /** A fresh acceptance of a B2C request or a status query: `AG_000001`. */
  b2cAccepted(originatorConversationId: string): B2cAccepted {
    this.counter += 1;
    return { conversationId: `AG_${String(this.counter).padStart(6, "0")}`, originatorConversationId };
  }

  stkPush(request: StkPushRequest): Promise<Result<StkPushAccepted, GatewayFailure>> {
    return this.script.stkPush.answer(request);
  }

  stkQuery(request: StkQueryRequest): Promise<Result<StkQueryOutcome, GatewayFailure>> {
    return this.script.stkQuery.answer(request);
  }

  b2cPayment(request: B2cPaymentRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    return this.script.b2cPayment.answer(request);
  }

  transactionStatus(request: TransactionStatusRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    return this.script.transactionStatus.answer(request);
  }

  reverse(request: ReversalRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    return this.script.reverse.answer(request);
  }

  accountBalance(request: AccountBalanceRequest): Promise<Result<B2cAccepted, GatewayFailure>> {
    return this.script.accountBalance.answer(request);
  }

  registerC2bUrls(request: C2bRegisterRequest): Promise<Result<C2bRegistered, GatewayFailure>> {
    return this.script.registerC2bUrls.answer(request);
  }

  pullTransactions(
    request: PullTransactionsRequest,
  ): Promise<Result<readonly PulledPayment[], GatewayFailure>> {
    return this.script.pullTransactions.answer(request);
  }
}
