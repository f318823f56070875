import { Hono } from "hono";
import type { Clock } from "../../application/ports/clock.ts";
import type { CallbackDeliveries } from "./callback-deliveries.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import type { DarajaApi, DarajaApiGate } from "./daraja-api-gate.ts";
import type { InitiatorCredentials } from "./initiator-credentials.ts";
import { checkoutStatusResultBody, lookupQueueTimeoutBody } from "./lookup-payloads.ts";
import type { PayoutSettlement } from "./payout-settlement.ts";
import { simulatorIds } from "./simulator-ids.ts";
import { statusResultBody } from "./simulator-payloads.ts";
import { firstInvalidField, TRANSACTION_STATUS_RULES } from "./simulator-request-rules.ts";
import type { SimulatorState } from "./simulator-state.ts";

const PATH = "/mpesa/transactionstatus/v1/query";

const TRANSACTION_STATUS: DarajaApi = {
  name: "transaction_status",
  invalidToken: { status: 400, errorCode: "400.003.01", errorMessage: "Invalid Access Token" },
  firstField: "Initiator",
};

/**
 * Transaction Status by OriginalConversationID (a payout's) or by TransactionID (any receipt the simulator named:
 * a payout's, a C2B payment's, a paid STK push's, the last only when PartyA is its own shortcode): accepted at
 * once, its result sent to ResultURL after the callback delay. A payout whose money has moved names its receipt
 * by then. A receipt it does not know fails with 2032, a bad initiator credential with 2001. A fault's `callback`
 * drops, delays or duplicates the result, or sends a queue timeout instead.
 */
export function simulatorTransactionStatusRoutes(deps: {
  readonly gate: DarajaApiGate;
  readonly state: SimulatorState;
  readonly payouts: PayoutSettlement;
  readonly initiators: InitiatorCredentials;
  readonly callbacks: CallbackDeliveries;
  readonly clock: Clock;
  /** A simulated C2B payment's Transaction Status result by its receipt, when it is one. */
  readonly c2bResult?: (
    receipt: string,
    ack: { ConversationID: string; OriginatorConversationID: string },
  ) => unknown | null;
  /** A simulated reversal's Transaction Status result by its OriginatorConversationID, when it is one. */
  readonly reversalResult?: (
    originalConversationId: string,
    ack: { ConversationID: string; OriginatorConversationID: string },
    initiatorAccepted: boolean,
  ) => unknown | null;
}): Hono {
  const { gate, state, payouts, initiators, callbacks, clock } = deps;
  const routes = new Hono();

  routes.post(
    PATH,
    gate.handler(TRANSACTION_STATUS, (body, fault) => {
      state.countTransactionStatusRequest();
      const invalid = firstInvalidField(body, TRANSACTION_STATUS_RULES);
      const transactionId = typeof body.TransactionID === "string" ? body.TransactionID.trim() : "";
      const original =
        typeof body.OriginalConversationID === "string" ? body.OriginalConversationID.trim() : "";
      if (invalid !== null) {
        return darajaAnswers.badRequest(invalid);
      }
      if (transactionId === "" && original === "") {
        return darajaAnswers.badRequest("TransactionID");
      }
      const ack = {
        ConversationID: simulatorIds.conversationId(clock.now()),
        OriginatorConversationID: simulatorIds.originatorConversationId(),
      };
      const initiator = String(body.Initiator);
      const credential = String(body.SecurityCredential);
      const target = original !== "" ? state.payout(original) : state.payoutWithReceipt(transactionId);
      const resultUrl = String(body.ResultURL);
      const partyA = String(body.PartyA);
      // A look-up's fault: the result dropped, delayed, duplicated, or a queue timeout instead.
      const times = fault?.callback?.deliveries ?? 1;
      const later = (send: () => Promise<void>) =>
        callbacks.schedule(
          async () => {
            if (fault?.callback?.queueTimeout === true) {
              const text = JSON.stringify(lookupQueueTimeoutBody(ack));
              await callbacks.sendTimes("status_queue_timeout", String(body.QueueTimeOutURL), text, times);
              return;
            }
            await send();
          },
          state.delayMs + (fault?.callback?.delayMs ?? 0),
        );
      const accepted = () =>
        darajaAnswers.json(
          { ...ack, ResponseCode: "0", ResponseDescription: "Accept the service request successfully." },
          200,
        );
      const c2b =
        target === null && transactionId !== "" ? (deps.c2bResult?.(transactionId, ack) ?? null) : null;
      if (c2b !== null && initiators.accepts(initiator, credential)) {
        later(() => callbacks.sendTimes("status_result", resultUrl, JSON.stringify(c2b), times));
        return accepted();
      }
      if (target === null && original !== "") {
        const reversal =
          deps.reversalResult?.(original, ack, initiators.accepts(initiator, credential)) ?? null;
        if (reversal !== null) {
          later(() => callbacks.sendTimes("status_result", resultUrl, JSON.stringify(reversal), times));
          return accepted();
        }
      }
      // A paid STK push, asked about by its own business (the paybill, the till or its store number): an
      // operator sees only its own shortcode's transactions.
      const checkout =
        target === null && c2b === null && transactionId !== ""
          ? state.checkoutWithReceipt(transactionId)
          : null;
      if (
        checkout !== null &&
        (checkout.businessShortCode === partyA || checkout.partyB === partyA) &&
        initiators.accepts(initiator, credential)
      ) {
        const text = JSON.stringify(checkoutStatusResultBody(checkout, ack, clock.now()));
        later(() => callbacks.sendTimes("status_result", resultUrl, text, times));
        return accepted();
      }
      later(async () => {
        const payout = target === null ? null : { record: target, outcome: payouts.outcomeOf(target) };
        if (payout !== null && payout.outcome.kind !== "failed") {
          // The money has moved by the time anyone can ask: name its receipt now.
          payout.record.receipt ??= state.freshReceipt();
        }
        const result = statusResultBody({
          ack,
          initiatorAccepted: initiators.accepts(initiator, credential),
          payout,
          now: clock.now(),
        });
        await callbacks.sendTimes("status_result", resultUrl, JSON.stringify(result), times);
      });
      return darajaAnswers.json(
        { ...ack, ResponseCode: "0", ResponseDescription: "Accept the service request successfully." },
        200,
      );
    }),
  );
  routes.all(PATH, () => darajaAnswers.methodNotAllowed());

  return routes;
}
