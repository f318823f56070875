import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import type { Logger } from "pino";
import { AcceptInvitationAsUser } from "../../application/access/accept-invitation.ts";
import { AddMember } from "../../application/access/add-member.ts";
import { ChangeMemberRole } from "../../application/access/change-member-role.ts";
import { CreateApiKey } from "../../application/access/create-api-key.ts";
import { ListApiKeys } from "../../application/access/list-api-keys.ts";
import { ListMembers } from "../../application/access/list-members.ts";
import { RemoveMember } from "../../application/access/remove-member.ts";
import { RevokeApiKey } from "../../application/access/revoke-api-key.ts";
import { WithdrawInvitation } from "../../application/access/withdraw-invitation.ts";
import { Authenticate } from "../../application/accounts/authenticate.ts";
import { ChangePassword } from "../../application/accounts/change-password.ts";
import { CreateBusiness } from "../../application/accounts/create-business.ts";
import { GetAccount } from "../../application/accounts/get-account.ts";
import { GetBusiness } from "../../application/accounts/get-business.ts";
import { ListBusinesses } from "../../application/accounts/list-businesses.ts";
import { SignIn } from "../../application/accounts/sign-in.ts";
import { SignOut } from "../../application/accounts/sign-out.ts";
import { SignUp } from "../../application/accounts/sign-up.ts";
import { ConfirmC2bPayment } from "../../application/c2b/confirm-c2b-payment.ts";
import { GetC2bPayment } from "../../application/c2b/get-c2b-payment.ts";
import { ListC2bPayments } from "../../application/c2b/list-c2b-payments.ts";
import { PullC2bPayments } from "../../application/c2b/pull-c2b-payments.ts";
import { ReceiveC2bConfirmation } from "../../application/c2b/receive-c2b-confirmation.ts";
import { ReceiveC2bStatusResult } from "../../application/c2b/receive-c2b-status-result.ts";
import { RegisterC2bUrls } from "../../application/c2b/register-c2b-urls.ts";
import { ValidateC2bPayment } from "../../application/c2b/validate-c2b-payment.ts";
import { CheckBalance } from "../../application/lookups/check-balance.ts";
import { GetLookupQuery } from "../../application/lookups/get-lookup-query.ts";
import { LookUpTransaction } from "../../application/lookups/look-up-transaction.ts";
import { ReceiveLookupResult } from "../../application/lookups/receive-lookup-result.ts";
import { GetPaymentConfig } from "../../application/payment-configs/get-payment-config.ts";
import { SetUpPaymentConfig } from "../../application/payment-configs/set-up-payment-config.ts";
import { VerifyPaymentConfig } from "../../application/payment-configs/verify-payment-config.ts";
import { ChangePayoutLimits } from "../../application/payouts/change-payout-limits.ts";
import { GetPayout } from "../../application/payouts/get-payout.ts";
import { GetPayoutConfig } from "../../application/payouts/get-payout-config.ts";
import { GetPayoutStory } from "../../application/payouts/get-payout-story.ts";
import { InitiatePayout } from "../../application/payouts/initiate-payout.ts";
import { ListPayouts } from "../../application/payouts/list-payouts.ts";
import { ReceivePayoutCallback } from "../../application/payouts/receive-payout-callback.ts";
import { SetUpPayoutConfig } from "../../application/payouts/set-up-payout-config.ts";
import { GetRefund } from "../../application/refunds/get-refund.ts";
import { InitiateRefund } from "../../application/refunds/initiate-refund.ts";
import { ListRefundsOfReceipt } from "../../application/refunds/list-refunds-of-receipt.ts";
import { ReceiveReversalCallback } from "../../application/refunds/receive-reversal-callback.ts";
import { ArchiveProduct } from "../../application/sales/archive-product.ts";
import { CreateProduct } from "../../application/sales/create-product.ts";
import { ExportMoneyIn } from "../../application/sales/export-money-in.ts";
import { GetProduct } from "../../application/sales/get-product.ts";
import { GetPublicReceipt } from "../../application/sales/get-public-receipt.ts";
import { GetSale } from "../../application/sales/get-sale.ts";
import { InitiateSale } from "../../application/sales/initiate-sale.ts";
import { ListMoneyIn } from "../../application/sales/list-money-in.ts";
import { ListProducts } from "../../application/sales/list-products.ts";
import { ListSales } from "../../application/sales/list-sales.ts";
import { RestockProduct } from "../../application/sales/restock-product.ts";
import { ShareReceipt } from "../../application/sales/share-receipt.ts";
import { UpdateProduct } from "../../application/sales/update-product.ts";
import { ReceiveStatusResult } from "../../application/shared/receive-status-result.ts";
import { ConfirmStkCallback } from "../../application/stk/confirm-stk-callback.ts";
import { ReceiveStkCallback } from "../../application/stk/receive-stk-callback.ts";
import { GetWallet } from "../../application/wallet/get-wallet.ts";
import { GetWalletPurchase } from "../../application/wallet/get-wallet-purchase.ts";
import { InitiateWalletPurchase } from "../../application/wallet/initiate-wallet-purchase.ts";
import { CreateWebhookEndpoint } from "../../application/webhooks/create-webhook-endpoint.ts";
import { DeleteWebhookEndpoint } from "../../application/webhooks/delete-webhook-endpoint.ts";
import { GetEvent } from "../../application/webhooks/get-event.ts";
import { ListEvents } from "../../application/webhooks/list-events.ts";
import { ListWebhookEndpoints } from "../../application/webhooks/list-webhook-endpoints.ts";
import { RedeliverEvent } from "../../application/webhooks/redeliver-event.ts";
import { RotateWebhookSecret } from "../../application/webhooks/rotate-webhook-secret.ts";
import { SendTestWebhook } from "../../application/webhooks/send-test-webhook.ts";
import { UpdateWebhookEndpoint } from "../../application/webhooks/update-webhook-endpoint.ts";
import type { RequestEvent } from "../metrics/prometheus-metrics.ts";
import type { FileSpool } from "../spool/file-spool.ts";
import type { SpoolObserver } from "../spool/spool-observer.ts";
import { spoolOnFailure } from "../spool/spool-on-failure.ts";
import { webRoutes } from "../web/web-routes.tsx";
import { databaseUnavailable } from "./database-unavailable.ts";
import type { ActorLog, HttpEnv } from "./http-env.ts";
import { problemResponse } from "./problem.ts";
import { pathRedactor, redactedPath } from "./redact-path.ts";
import { requireUser } from "./require-user.ts";
import { apiKeyRoutes } from "./routes/api-key-routes.ts";
import { type AuthRouteDependencies, authRoutes } from "./routes/auth-routes.ts";
import { businessRoutes } from "./routes/business-routes.ts";
import { C2B_HOOK_PATHS, c2bHookRoutes } from "./routes/c2b-hook-routes.ts";
import { c2bRoutes } from "./routes/c2b-routes.ts";
import { docsRoutes } from "./routes/docs-routes.ts";
import { healthRoutes } from "./routes/health-routes.ts";
import { lookupCallbackRoutes } from "./routes/lookup-callback-routes.ts";
import { lookupRoutes } from "./routes/lookup-routes.ts";
import { memberRoutes } from "./routes/member-routes.ts";
import { CALLBACK_ACCEPTED, mpesaCallbackRoutes } from "./routes/mpesa-callback-routes.ts";
import { paymentConfigRoutes } from "./routes/payment-config-routes.ts";
import { payoutCallbackRoutes } from "./routes/payout-callback-routes.ts";
import { payoutRoutes } from "./routes/payout-routes.ts";
import { productRoutes } from "./routes/product-routes.ts";
import { refundRoutes } from "./routes/refund-routes.ts";
import { reversalCallbackRoutes } from "./routes/reversal-callback-routes.ts";
import { saleRoutes } from "./routes/sale-routes.ts";
import { statusCallbackRoutes } from "./routes/status-callback-routes.ts";
import { walletRoutes } from "./routes/wallet-routes.ts";
import { webhookRoutes } from "./routes/webhook-routes.ts";

export const MAX_BODY_BYTES = 64 * 1024;

/** The API's version in the OpenAPI document. */
export const API_VERSION = "1.0.0";

/**
 * The use cases the routes and pages call, by the names they know them by. The composition root resolves each
 * from its class; a route that needs one missing here does not compile.
 */
export const HTTP_USE_CASES = {
  signUp: SignUp,
  signIn: SignIn,
  signOut: SignOut,
  changePassword: ChangePassword,
  getAccount: GetAccount,
  authenticate: Authenticate,
  createBusiness: CreateBusiness,
  listBusinesses: ListBusinesses,
  getBusiness: GetBusiness,
  initiateWalletPurchase: InitiateWalletPurchase,
  getWalletPurchase: GetWalletPurchase,
  getWallet: GetWallet,
  receiveStkCallback: ReceiveStkCallback,
  confirmStkCallback: ConfirmStkCallback,
  setUpPaymentConfig: SetUpPaymentConfig,
  getPaymentConfig: GetPaymentConfig,
  verifyPaymentConfig: VerifyPaymentConfig,
  createProduct: CreateProduct,
  listProducts: ListProducts,
  getProduct: GetProduct,
  updateProduct: UpdateProduct,
  restockProduct: RestockProduct,
  archiveProduct: ArchiveProduct,
  initiateSale: InitiateSale,
  getSale: GetSale,
  listSales: ListSales,
  listMoneyIn: ListMoneyIn,
  exportMoneyIn: ExportMoneyIn,
  shareReceipt: ShareReceipt,
  getPublicReceipt: GetPublicReceipt,
  setUpPayoutConfig: SetUpPayoutConfig,
  initiatePayout: InitiatePayout,
  getPayout: GetPayout,
  getPayoutStory: GetPayoutStory,
  getPayoutConfig: GetPayoutConfig,
  changePayoutLimits: ChangePayoutLimits,
  listPayouts: ListPayouts,
  receivePayoutCallback: ReceivePayoutCallback,
  listMembers: ListMembers,
  addMember: AddMember,
  changeMemberRole: ChangeMemberRole,
  removeMember: RemoveMember,
  withdrawInvitation: WithdrawInvitation,
  acceptInvitation: AcceptInvitationAsUser,
  createApiKey: CreateApiKey,
  listApiKeys: ListApiKeys,
  revokeApiKey: RevokeApiKey,
  createWebhookEndpoint: CreateWebhookEndpoint,
  listWebhookEndpoints: ListWebhookEndpoints,
  updateWebhookEndpoint: UpdateWebhookEndpoint,
  deleteWebhookEndpoint: DeleteWebhookEndpoint,
  rotateWebhookSecret: RotateWebhookSecret,
  sendTestWebhook: SendTestWebhook,
  listEvents: ListEvents,
  getEvent: GetEvent,
  redeliverEvent: RedeliverEvent,
  receiveC2bConfirmation: ReceiveC2bConfirmation,
  registerC2bUrls: RegisterC2bUrls,
  listC2bPayments: ListC2bPayments,
  getC2bPayment: GetC2bPayment,
  validateC2bPayment: ValidateC2bPayment,
  pullC2bPayments: PullC2bPayments,
  confirmC2bPayment: ConfirmC2bPayment,
  receiveC2bStatusResult: ReceiveC2bStatusResult,
  initiateRefund: InitiateRefund,
  getRefund: GetRefund,
  receiveReversalCallback: ReceiveReversalCallback,
  listRefundsOfReceipt: ListRefundsOfReceipt,
  lookUpTransaction: LookUpTransaction,
  checkBalance: CheckBalance,
  getLookupQuery: GetLookupQuery,
  receiveLookupResult: ReceiveLookupResult,
  receiveStatusResult: ReceiveStatusResult,
} as const;

/** An instance of each of HTTP_USE_CASES, under its name. */
export type HttpUseCases = {
  readonly [K in keyof typeof HTTP_USE_CASES]: InstanceType<(typeof HTTP_USE_CASES)[K]>;
};

/** Everything the routes and pages take. */
type RouteDependencies = AuthRouteDependencies &
  Parameters<typeof businessRoutes>[0] &
  Parameters<typeof walletRoutes>[0] &
  Parameters<typeof mpesaCallbackRoutes>[0] &
  Parameters<typeof paymentConfigRoutes>[0] &
  Parameters<typeof productRoutes>[0] &
  Parameters<typeof saleRoutes>[0] &
  Parameters<typeof payoutRoutes>[0] &
  Parameters<typeof memberRoutes>[0] &
  Parameters<typeof apiKeyRoutes>[0] &
  Parameters<typeof payoutCallbackRoutes>[0] &
  Parameters<typeof refundRoutes>[0] &
  Parameters<typeof reversalCallbackRoutes>[0] &
  Parameters<typeof statusCallbackRoutes>[0] &
  Parameters<typeof webhookRoutes>[0] &
  Parameters<typeof c2bHookRoutes>[0] &
  Parameters<typeof c2bRoutes>[0] &
  Parameters<typeof lookupRoutes>[0] &
  Parameters<typeof lookupCallbackRoutes>[0] &
  Parameters<typeof healthRoutes>[0] &
  Parameters<typeof webRoutes>[0];

/** What the app takes besides its use cases. */
export type AppServices = Omit<RouteDependencies, keyof HttpUseCases> & {
  readonly logger: Logger;
  /** True when the database answers. */
  readonly isReady: () => Promise<boolean>;
  /** Told about every answered request, for metrics. */
  readonly observeRequest: (event: RequestEvent) => void;
  /** The metrics in Prometheus text format. */
  readonly metrics: () => Promise<string>;
  /** METRICS_TOKEN: the bearer token /metrics needs; null leaves it public. */
  readonly metricsToken: string | null;
  /** Where callbacks that cannot be processed now are kept, to be applied later. */
  readonly spool: FileSpool;
  /** Told what the spool does, for metrics. */
  readonly spoolObserver: SpoolObserver;
};

/** How much of an oversized body is read and thrown away, so that its sender gets to read the 413. */
const MAX_DISCARDED_BYTES = 8 * 1024 * 1024;

/**
 * Reads the rest of an oversized body, up to MAX_DISCARDED_BYTES, and throws it away: a client still sending
 * when the server closes the connection gets a broken pipe instead of the 413 (lingering close). True when the
 * body was read to its end, so that the connection can serve another request.
 */
async function discardBody(request: Request): Promise<boolean> {
  if (request.body === null || request.body.locked) {
    return false;
  }
  const reader = request.body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return true;
      }
      read += value.byteLength;
      if (read > MAX_DISCARDED_BYTES) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    // The client gave up sending: there is no connection left to keep.
    return false;
  }
}

/** Routes under /api that Safaricom calls: public, authenticated by their own per-payment token. */
const PUBLIC_API_PREFIX = "/api/mpesa/";

/**
 * The HTTP face of PayMe. Every response carries `X-Request-Id` (the caller's, when it sent a sane one);
 * every error, unknown routes included, is `application/problem+json`.
 */
export function createApp(useCases: HttpUseCases, services: AppServices): Hono<HttpEnv> {
  const deps = { ...useCases, ...services };
  const app = new Hono<HttpEnv>();
  // Trusted STK callbacks (`<callback path>/<token>`), the load a payments backend is judged by, are answered
  // by an app of their own, with the same middleware and handlers (see `trustedStkCallbackPath`).
  const stkCallbacks = new Hono<HttpEnv>();
  // Tokens are masked on every callback path: the seed's, MPESA_CALLBACK_URL's own, and the fixed token routes.
  const redactPath = pathRedactor(deps.callbackPaths);

  for (const each of [app, stkCallbacks]) {
    instrument(each);
  }
  function instrument(target: Hono<HttpEnv>): void {
    target.use(requestId({ headerName: "X-Request-Id", limitLength: 128 }));
    if (deps.isDraining !== undefined) {
      const isDraining = deps.isDraining;
      // While the instance drains, every answer ends its connection, so that a balancer's kept-alive connection
      // is not cut under a request when the listener closes.
      target.use(async (c, next) => {
        await next();
        if (isDraining()) {
          c.res.headers.set("Connection", "close");
        }
      });
    }
    target.use(async (c, next) => {
      const started = performance.now();
      const log = deps.logger.child({ requestId: c.get("requestId") });
      c.set("log", log);
      c.set("redactPath", redactPath);
      await next();
      const durationMs = performance.now() - started;
      const route = routePath(c, -1);
      // The caller: the user and their role, or the API key's id (never the key itself).
      const actor: ActorLog | undefined = c.get("actorLog");
      log.info(
        {
          method: c.req.method,
          route,
          path: redactedPath(c),
          status: c.res.status,
          durationMs: Math.round(durationMs * 10) / 10,
          ...actor,
          ...c.get("outcomeLog"),
        },
        "request",
      );
      deps.observeRequest({
        method: c.req.method,
        // Unknown paths share one label, so that a scan cannot grow the metrics without bound.
        route: route === "/*" ? "unmatched" : route,
        status: c.res.status,
        durationSeconds: durationMs / 1000,
        // By credential kind and role only, never by user or key id.
        credential: actor?.credential ?? "none",
        role: actor?.role ?? "none",
      });
    });
    const payloadTooLarge = async (c: Context<HttpEnv>) => {
      const readToTheEnd = await discardBody(c.req.raw);
      const response = problemResponse(c, {
        status: 413,
        code: "payload_too_large",
        title: "Payload too large",
        detail: `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`,
      });
      if (!readToTheEnd) {
        // The rest of the body was not read, so the connection cannot carry another request: say so, or the
        // client's next request on it fails when the server closes it.
        response.headers.set("Connection", "close");
      }
      return response;
    };
    const countedLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: payloadTooLarge });
    // A body's size is known from its Content-Length; a GET or HEAD without one has no body; anything else (a
    // chunked body, a request made in-process) is counted as it arrives. hono's bodyLimit asks every request for
    // its body stream, even to learn that there is none, which on @hono/node-server builds a full web Request
    // (with an AbortController) and takes body reads off their fast path: the bench's profile showed it on every
    // request.
    target.use(async (c, next) => {
      const length = c.req.header("content-length");
      if (c.req.header("transfer-encoding") === undefined) {
        if (length !== undefined) {
          return Number(length) > MAX_BODY_BYTES ? payloadTooLarge(c) : next();
        }
        if (c.req.method === "GET" || c.req.method === "HEAD") {
          return next();
        }
      }
      return countedLimit(c, next);
    });
  }

  // Every route describes itself (describeRoute and its validators, beside the route): /openapi.json is read
  // from the routes.
  app.route("/", healthRoutes(deps));
  app.route("/", docsRoutes(app, API_VERSION));
  app.route("/", authRoutes(deps));
  // The browser pages: outside /api, so the bearer guard never sees them; they use a session cookie instead.
  app.route("/", webRoutes(deps));

  // Safaricom's callbacks are public: each carries its own per-payment token. One that cannot be processed
  // now is spooled to disk and still answered 200, because Safaricom never sends it again; when it cannot be
  // spooled either (the spool is full), it is answered 503.
  const spooled = spoolOnFailure(deps.spool, CALLBACK_ACCEPTED, deps.spoolObserver);
  for (const path of new Set([
    "/api/mpesa",
    // Validations are answered at once, never spooled: a late answer is worth nothing to Daraja.
    C2B_HOOK_PATHS.confirmation,
    C2B_HOOK_PATHS.statusResult,
    C2B_HOOK_PATHS.statusTimeout,
    ...deps.callbackPaths.map((p) => p.replace(/\/+$/, "")),
  ])) {
    app.use(path, spooled);
    app.use(`${path}/*`, spooled);
  }
  app.route("/", mpesaCallbackRoutes(deps));
  stkCallbacks.use(spooled);
  stkCallbacks.route("/", mpesaCallbackRoutes(deps));
  app.route("/", lookupCallbackRoutes(deps));
  app.route("/", payoutCallbackRoutes(deps));
  app.route("/", statusCallbackRoutes(deps));
  app.route("/", reversalCallbackRoutes(deps));
  app.route("/", c2bHookRoutes(deps));
  const callbackPaths = deps.callbackPaths.map((path) => path.replace(/\/+$/, ""));
  const isCallback = (path: string) =>
    path.startsWith(PUBLIC_API_PREFIX) || callbackPaths.some((p) => path === p || path.startsWith(`${p}/`));

  // Default deny: every other /api route needs a bearer token.
  const guard = requireUser(deps.authenticate);
  app.use("/api/*", (c, next) => (isCallback(c.req.path) ? next() : guard(c, next)));
  app.route("/", businessRoutes(deps));
  app.route("/", walletRoutes(deps));
  app.route("/", paymentConfigRoutes(deps));
  app.route("/", productRoutes(deps));
  app.route("/", saleRoutes(deps));
  app.route("/", payoutRoutes(deps));
  app.route("/", memberRoutes(deps));
  app.route("/", apiKeyRoutes(deps));
  app.route("/", webhookRoutes(deps));
  app.route("/", c2bRoutes(deps));
  app.route("/", refundRoutes(deps));
  app.route("/", lookupRoutes(deps));

  for (const each of [app, stkCallbacks]) {
    answerErrors(each);
  }
  function answerErrors(target: Hono<HttpEnv>): void {
    target.notFound((c) =>
      problemResponse(c, {
        status: 404,
        code: "not_found",
        title: "Not found",
        detail: `There is no ${c.req.method} ${redactPath(c.req.path)}.`,
      }),
    );

    target.onError((error, c) => {
      if (error instanceof HTTPException && error.status < 500) {
        return problemResponse(c, {
          status: error.status,
          code: error.status === 400 ? "malformed_request" : "bad_request",
          title: "Bad request",
          detail: error.message || "The request could not be understood.",
        });
      }
      if (databaseUnavailable(error)) {
        (c.var.log ?? deps.logger).warn({ err: error, path: redactPath(c.req.path) }, "database unavailable");
        return problemResponse(c, {
          status: 503,
          code: "not_ready",
          title: "Service unavailable",
          detail: "PayMe cannot reach its database right now. Nothing was done; try again shortly.",
          retryAfterSeconds: 5,
        });
      }
      (c.var.log ?? deps.logger).error({ err: error, path: redactPath(c.req.path) }, "unhandled error");
      return problemResponse(c, {
        status: 500,
        code: "internal_error",
        title: "Internal error",
        detail: "Something went wrong on our side. It has been logged; try again later.",
      });
    });
  }

  const everything = app.fetch;
  const trustedStkCallback = trustedStkCallbackPath(deps.callbackPaths);
  app.fetch = (request, ...rest) =>
    request.method === "POST" && trustedStkCallback(request.url)
      ? stkCallbacks.fetch(request, ...rest)
      : everything(request, ...rest);
  return app;
}

/**
 * Whether a URL is a trusted STK callback's (`<callback path>/<token>`, the token in base64url or hex, nothing
 * after it), which the app answers through a small app of its own: the same middleware, spool, route and error
 * handling, without searching the 400-odd routes of the whole app for it (the router and its middleware chain
 * were a tenth of the server's time per callback in the bench's profile). Anything else, an odd callback URL
 * included, goes through the whole app, which answers it as before.
 */
function trustedStkCallbackPath(callbackPaths: readonly string[]): (url: string) => boolean {
  const bases = [...new Set(callbackPaths.map((p) => `${p.replace(/\/+$/, "")}/`))];
  return (url) => {
    // Where the path starts, as hono finds it: after the scheme's "://" and the host.
    const start = url.indexOf("/", url.indexOf(":") + 4);
    if (start === -1) {
      return false;
    }
    for (const base of bases) {
      if (url.startsWith(base, start)) {
        return TOKEN.test(url.slice(start + base.length));
      }
    }
    return false;
  };
}

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
