import { Hono } from "hono";
import { SystemClock } from "../clock/system-clock.ts";
import { CallbackDeliveries } from "./callback-deliveries.ts";
import { CheckoutSettlement } from "./checkout-settlement.ts";
import { checkoutView } from "./checkout-view.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import { DarajaApiGate } from "./daraja-api-gate.ts";
import type { DarajaSimulator, DarajaSimulatorOptions } from "./daraja-simulator.ts";
import { InitiatorCredentials } from "./initiator-credentials.ts";
import { PayoutSettlement } from "./payout-settlement.ts";
import { payoutView } from "./payout-view.ts";
import { serveSimulator } from "./serve-simulator.ts";
import { simulatorAccountBalanceRoutes } from "./simulator-account-balance-routes.ts";
import { simulatorB2cRoutes } from "./simulator-b2c-routes.ts";
import { SimulatorC2bLedger, simulatorC2bRoutes } from "./simulator-c2b-routes.ts";
import { type SimulatorControls, simulatorControlRoutes } from "./simulator-control-routes.ts";
import {
  DEVELOPMENT_WALLET_PASSKEY,
  DEVELOPMENT_WALLET_SHORTCODE,
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
  SANDBOX_PASSKEY,
  SANDBOX_SHORTCODE,
} from "./simulator-credentials.ts";
import { SimulatorFaults } from "./simulator-faults.ts";
import { simulatorOAuthRoutes } from "./simulator-oauth-routes.ts";
import { SimulatorReversals, simulatorReversalRoutes } from "./simulator-reversal-routes.ts";
import { SimulatorState } from "./simulator-state.ts";
import { simulatorStkPushRoutes } from "./simulator-stk-push-routes.ts";
import { simulatorStkQueryRoutes } from "./simulator-stk-query-routes.ts";
import { simulatorTransactionStatusRoutes } from "./simulator-transaction-status-routes.ts";
import { StkPasswords } from "./stk-passwords.ts";

/**
 * Creates a Daraja simulator (README, "Configuration": the simulator): Daraja's paths, bodies and error envelopes;
 * OAuth tokens that expire; STK push checks as strict as Daraja's (fields, lengths, whole amounts, phone format,
 * TransactionType against PartyB, the password for shortcodes whose passkey it knows and its timestamp for all);
 * STK Query "being processed" until settled; B2C v1/v3 with SecurityCredentials decrypted by its own dev key;
 * Transaction Status of any receipt it named; Account Balance, moved by its own payments and payouts; callbacks shaped like real ones after `delayMs`, outcomes picked by phone number.
 * It also serves its statistics, and takes faults, under `/__simulator/…` (not a Daraja path).
 *
 * This is the assembly: the state, the faults and the callback deliveries, shared by one route module per
 * Daraja API and by the control routes. A new Daraja API is a new route module, its name in SIMULATOR_APIS
 * (for its faults and counts), and one line below.
 */
export function createDarajaSimulator(options: DarajaSimulatorOptions = {}): DarajaSimulator {
  const clock = options.clock ?? new SystemClock();
  const log = options.log ?? (() => undefined);
  const state = new SimulatorState({
    delayMs: options.delayMs ?? 1000,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    oneTokenPerApp: options.oneTokenPerApp ?? false,
  });
  const faults = new SimulatorFaults();
  const callbacks = new CallbackDeliveries({ clock, log });
  const gate = new DarajaApiGate(state, faults, clock);
  const passwords = new StkPasswords({
    [SANDBOX_SHORTCODE]: SANDBOX_PASSKEY,
    [DEVELOPMENT_WALLET_SHORTCODE]: DEVELOPMENT_WALLET_PASSKEY,
    ...options.passkeys,
  });
  const initiators = new InitiatorCredentials({
    [SANDBOX_INITIATOR_NAME]: SANDBOX_INITIATOR_PASSWORD,
    ...options.initiators,
  });
  const checkouts = new CheckoutSettlement(state, callbacks, clock);
  const c2b = new SimulatorC2bLedger();
  const payouts = new PayoutSettlement(state, callbacks, initiators, clock);
  const reversals = new SimulatorReversals(state, initiators, callbacks, clock);
  const requiredApp =
    options.consumerKey !== undefined && options.consumerSecret !== undefined
      ? { key: options.consumerKey, secret: options.consumerSecret }
      : null;

  const controls: SimulatorControls = {
    stats: () => {
      const { delivered, failed } = callbacks.counts();
      return { ...state.stats(), callbacksDelivered: delivered, callbacksFailed: failed };
    },
    stkPushBodies: () => state.recentPushBodies(),
    checkout(checkoutRequestId) {
      const checkout = state.checkout(checkoutRequestId);
      return checkout === null ? null : checkoutView(checkout);
    },
    async settle(checkoutRequestId) {
      const known = await checkouts.settleNow(checkoutRequestId);
      return known ? controls.checkout(checkoutRequestId) : null;
    },
    payout(originatorConversationId) {
      const payout = state.payout(originatorConversationId);
      if (payout === null) {
        return null;
      }
      return payoutView(payout, payout.status === "settled" ? payouts.outcomeOf(payout) : null);
    },
    c2bUrls: (shortcode) => c2b.registrations.get(shortcode) ?? null,
    callbacks: () => callbacks.recent(),
    injectFault: (fault) => faults.inject(fault),
    revokeTokens: () => state.revokeTokens(),
    reset() {
      callbacks.cancelAll();
      callbacks.clear();
      faults.clear();
      state.reset();
      c2b.reset();
      reversals.reset();
    },
  };
  const close = () => callbacks.close();

  const app = new Hono();
  app.route("/", simulatorOAuthRoutes({ state, faults, clock, requiredApp }));
  app.route("/", simulatorStkPushRoutes({ gate, state, passwords, checkouts, clock }));
  app.route("/", simulatorStkQueryRoutes({ gate, state, passwords, latencyMs: options.queryLatencyMs ?? 0 }));
  app.route("/", simulatorB2cRoutes({ gate, state, payouts, clock }));
  app.route(
    "/",
    simulatorTransactionStatusRoutes({
      gate,
      state,
      payouts,
      initiators,
      callbacks,
      clock,
      c2bResult: (receipt, ack) => c2b.statusResult(receipt, ack),
      reversalResult: (original, ack, accepted) => reversals.statusResult(original, ack, accepted),
    }),
  );
  app.route("/", simulatorAccountBalanceRoutes({ gate, state, initiators, callbacks, clock }));
  app.route(
    "/",
    simulatorC2bRoutes({
      gate,
      state,
      ledger: c2b,
      callbacks,
      clock,
      reregister: options.c2bReregister ?? false,
      validationShortcodes: new Set(options.c2bValidationShortcodes ?? []),
    }),
  );
  app.route("/", simulatorReversalRoutes({ gate, reversals, clock }));
  app.route("/", simulatorControlRoutes(controls));
  app.notFound(() => darajaAnswers.notFound());
  app.onError((error) => {
    log("simulator error", { error: error.message });
    return darajaAnswers.internalError();
  });

  return {
    app,
    listen: (port = 0, hostname = "127.0.0.1") => serveSimulator(app, port, hostname, close),
    ...controls,
    b2cBodies: () => state.recentPayoutBodies(),
    whenIdle: () => callbacks.whenIdle(Math.max(5, Math.min(state.delayMs, 50))),
    setDelayMs: (delayMs) => state.setDelayMs(delayMs),
    setTokenTtlSeconds: (seconds) => state.setTokenTtlSeconds(seconds),
    close,
  };
}
