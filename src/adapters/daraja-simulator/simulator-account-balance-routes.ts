import { Hono } from "hono";
import type { Clock } from "../../application/ports/clock.ts";
import type { CallbackDeliveries } from "./callback-deliveries.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import type { DarajaApi, DarajaApiGate } from "./daraja-api-gate.ts";
import type { InitiatorCredentials } from "./initiator-credentials.ts";
import { lookupQueueTimeoutBody } from "./lookup-payloads.ts";
import { nairobiParts, simulatorIds } from "./simulator-ids.ts";
import { INITIATOR_INVALID_OUTCOME } from "./simulator-outcomes.ts";
import { ACCOUNT_BALANCE_RULES, firstInvalidField } from "./simulator-request-rules.ts";
import type { SimulatorState } from "./simulator-state.ts";

const PATH = "/mpesa/accountbalance/v1/query";

const ACCOUNT_BALANCE: DarajaApi = {
  name: "account_balance",
  invalidToken: { status: 400, errorCode: "400.003.01", errorMessage: "Invalid Access Token" },
  firstField: "Initiator",
};

/** Where Safaricom's own result URL shows in the result's ReferenceData (as in the real capture). */
const REFERENCE_DATA = {
  ReferenceItem: {
    Key: "QueueTimeoutURL",
    Value: "https://internalsandbox.safaricom.co.ke/mpesa/abresults/v1/submit",
  },
};

/**
 * Account Balance of a shortcode: accepted at once, its result sent to ResultURL after the callback delay, with
 * the shortcode's balance as the simulated payments and payouts moved it (SimulatorBalances). An initiator whose
 * credential does not check out gets 2001, as in the real capture (one parameter, BOCompletedTime, as an object).
 * A fault's `callback` drops, delays, duplicates the result, or sends a queue timeout instead.
 */
export function simulatorAccountBalanceRoutes(deps: {
  readonly gate: DarajaApiGate;
  readonly state: SimulatorState;
  readonly initiators: InitiatorCredentials;
  readonly callbacks: CallbackDeliveries;
  readonly clock: Clock;
}): Hono {
  const { gate, state, initiators, callbacks, clock } = deps;
  const routes = new Hono();

  routes.post(
    PATH,
    gate.handler(ACCOUNT_BALANCE, (body, fault) => {
      const invalid = firstInvalidField(body, ACCOUNT_BALANCE_RULES);
      if (invalid !== null) {
        return darajaAnswers.badRequest(invalid);
      }
      const ack = {
        OriginatorConversationID: simulatorIds.originatorConversationId(),
        ConversationID: simulatorIds.conversationId(clock.now()),
      };
      const shortcode = String(body.PartyA);
      const initiator = String(body.Initiator);
      const credential = String(body.SecurityCredential);
      const times = fault?.callback?.deliveries ?? 1;
      callbacks.schedule(
        async () => {
          if (fault?.callback?.queueTimeout === true) {
            const text = JSON.stringify(lookupQueueTimeoutBody(ack));
            await callbacks.sendTimes("balance_queue_timeout", String(body.QueueTimeOutURL), text, times);
            return;
          }
          const p = nairobiParts(clock.now());
          const completed = Number(`${p.year}${p.month}${p.day}${p.hours}${p.minutes}${p.seconds}`);
          const base = { ResultType: 0, ...ack, TransactionID: simulatorIds.placeholderReceipt() };
          const result = initiators.accepts(initiator, credential)
            ? {
                ...base,
                ResultCode: 0,
                ResultDesc: "The service request is processed successfully.",
                ResultParameters: {
                  ResultParameter: [
                    { Key: "AccountBalance", Value: state.balances.balanceString(shortcode) },
                    { Key: "BOCompletedTime", Value: completed },
                  ],
                },
                ReferenceData: REFERENCE_DATA,
              }
            : {
                ...base,
                ResultCode: INITIATOR_INVALID_OUTCOME.resultCode,
                ResultDesc: INITIATOR_INVALID_OUTCOME.resultDesc,
                ResultParameters: { ResultParameter: { Key: "BOCompletedTime", Value: completed } },
                ReferenceData: REFERENCE_DATA,
              };
          await callbacks.sendTimes(
            "balance_result",
            String(body.ResultURL),
            JSON.stringify({ Result: result }),
            times,
          );
        },
        state.delayMs + (fault?.callback?.delayMs ?? 0),
      );
      return darajaAnswers.json(
        { ...ack, ResponseCode: "0", ResponseDescription: "Accept the service request successfully." },
        200,
      );
    }),
  );
  routes.all(PATH, () => darajaAnswers.methodNotAllowed());

  return routes;
}
