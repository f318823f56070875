import { Hono } from "hono";
import { darajaAnswers } from "./daraja-answers.ts";
import type { DarajaApi, DarajaApiGate } from "./daraja-api-gate.ts";
import { stkResult } from "./simulator-payloads.ts";
import { firstInvalidField, STK_QUERY_RULES } from "./simulator-request-rules.ts";
import type { SimulatorState } from "./simulator-state.ts";
import { sleep } from "./sleep.ts";
import type { StkPasswords } from "./stk-passwords.ts";

const PATH = "/mpesa/stkpushquery/v1/query";

const STK_QUERY: DarajaApi = {
  name: "stk_query",
  invalidToken: { status: 404, errorCode: "404.001.03", errorMessage: "Invalid Access Token" },
  firstField: "BusinessShortCode",
};

/**
 * STK Query: "The transaction is being processed" until the checkout settles, then its result. It takes
 * `latencyMs` to answer and counts the queries in flight per checkout, so that overlapping queries show.
 */
export function simulatorStkQueryRoutes(deps: {
  readonly gate: DarajaApiGate;
  readonly state: SimulatorState;
  readonly passwords: StkPasswords;
  readonly latencyMs: number;
}): Hono {
  const { gate, state, passwords, latencyMs } = deps;
  const routes = new Hono();

  const answer = (body: Record<string, unknown>): Response => {
    const invalid = firstInvalidField(body, STK_QUERY_RULES);
    if (invalid !== null) {
      return darajaAnswers.badRequest(invalid);
    }
    if (!passwords.accepts(body)) {
      return darajaAnswers.wrongCredentials();
    }
    const checkout = state.checkout(String(body.CheckoutRequestID));
    if (checkout === null || checkout.businessShortCode !== String(body.BusinessShortCode)) {
      return darajaAnswers.badRequest("CheckoutRequestID");
    }
    if (checkout.status === "pending") {
      return darajaAnswers.envelope(
        { status: 500, errorCode: "500.001.1001", errorMessage: "The transaction is being processed" },
        checkout.checkoutRequestId,
      );
    }
    const { resultCode, resultDesc } = stkResult(checkout.outcome);
    return darajaAnswers.json(
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
  };

  routes.post(
    PATH,
    gate.handler(STK_QUERY, async (body) => {
      const id = typeof body.CheckoutRequestID === "string" ? body.CheckoutRequestID : null;
      if (id !== null) {
        state.queryStarted(id);
      }
      try {
        await sleep(latencyMs);
        return answer(body);
      } finally {
        if (id !== null) {
          state.queryFinished(id);
        }
      }
    }),
  );
  routes.all(PATH, () => darajaAnswers.methodNotAllowed());

  return routes;
}
