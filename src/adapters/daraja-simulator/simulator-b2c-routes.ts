import { Hono } from "hono";
import type { Clock } from "../../application/ports/clock.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import type { DarajaApi, DarajaApiGate } from "./daraja-api-gate.ts";
import type { PayoutSettlement } from "./payout-settlement.ts";
import { simulatorIds } from "./simulator-ids.ts";
import type { PayoutRecord } from "./simulator-records.ts";
import { B2C_V1_RULES, B2C_V3_RULES, type FieldRule, firstInvalidField } from "./simulator-request-rules.ts";
import type { SimulatorState } from "./simulator-state.ts";

const B2C_PAYMENT: DarajaApi = {
  name: "b2c_payment",
  invalidToken: { status: 401, errorCode: "401.002.01", errorMessage: "Invalid Access Token" },
  firstField: "InitiatorName",
};

const VERSIONS = [
  { path: "/mpesa/b2c/v3/paymentrequest", rules: B2C_V3_RULES, callerNamesOriginator: true },
  { path: "/mpesa/b2c/v1/paymentrequest", rules: B2C_V1_RULES, callerNamesOriginator: false },
] as const;

/**
 * B2C payments, v3 (the caller's OriginatorConversationID, unique per request) and v1 (Daraja generates one):
 * checked as strictly as Daraja does, then a payout that settles after the callback delay. Its initiator's
 * SecurityCredential is checked only then, as Daraja's result tells of a bad one.
 */
export function simulatorB2cRoutes(deps: {
  readonly gate: DarajaApiGate;
  readonly state: SimulatorState;
  readonly payouts: PayoutSettlement;
  readonly clock: Clock;
}): Hono {
  const { gate, state, payouts, clock } = deps;
  const routes = new Hono();

  const paymentRequest = (rules: readonly FieldRule[], callerNamesOriginator: boolean) =>
    gate.handler(B2C_PAYMENT, (body, fault) => {
      state.recordPayoutRequest(body);
      const invalid = firstInvalidField(body, rules);
      if (invalid !== null) {
        return darajaAnswers.badRequest(invalid);
      }
      const originatorConversationId = callerNamesOriginator
        ? String(body.OriginatorConversationID)
        : simulatorIds.originatorConversationId();
      if (state.payout(originatorConversationId) !== null) {
        return darajaAnswers.envelope({
          status: 500,
          errorCode: "500.002.1001",
          errorMessage: "Duplicate OriginatorConversationID.",
        });
      }
      const now = clock.now();
      const payout: PayoutRecord = {
        originatorConversationId,
        conversationId: simulatorIds.conversationId(now),
        initiatorName: String(body.InitiatorName),
        shortcode: String(body.PartyA),
        phone: String(body.PartyB),
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
      state.addPayout(payout);
      payouts.scheduleFor(payout, fault?.callback?.delayMs ?? 0);
      return darajaAnswers.json(
        {
          ConversationID: payout.conversationId,
          OriginatorConversationID: originatorConversationId,
          ResponseCode: "0",
          ResponseDescription: "Accept the service request successfully.",
        },
        200,
      );
    });

  for (const version of VERSIONS) {
    routes.post(version.path, paymentRequest(version.rules, version.callerNamesOriginator));
  }
  for (const version of VERSIONS) {
    routes.all(version.path, () => darajaAnswers.methodNotAllowed());
  }

  return routes;
}
