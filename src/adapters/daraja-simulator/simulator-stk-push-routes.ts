import { Hono } from "hono";
import type { Clock } from "../../application/ports/clock.ts";
import type { CheckoutSettlement } from "./checkout-settlement.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import type { DarajaApi, DarajaApiGate } from "./daraja-api-gate.ts";
import { simulatorIds } from "./simulator-ids.ts";
import { stkOutcomeFor } from "./simulator-outcomes.ts";
import type { CheckoutRecord } from "./simulator-records.ts";
import { firstInvalidField, STK_PUSH_RULES } from "./simulator-request-rules.ts";
import type { SimulatorState } from "./simulator-state.ts";
import type { StkPasswords } from "./stk-passwords.ts";

const PATH = "/mpesa/stkpush/v1/processrequest";

const STK_PUSH: DarajaApi = {
  name: "stk_push",
  invalidToken: { status: 404, errorCode: "404.001.03", errorMessage: "Invalid Access Token" },
  firstField: "BusinessShortCode",
};

/**
 * M-Pesa Express (STK push): checks as strict as Daraja's (fields, lengths, whole amounts, phone format,
 * TransactionType against PartyB, the password), "Unable to lock subscriber" for the busy phone, then a checkout
 * that settles after the callback delay with the outcome its phone picks.
 */
export function simulatorStkPushRoutes(deps: {
  readonly gate: DarajaApiGate;
  readonly state: SimulatorState;
  readonly passwords: StkPasswords;
  readonly checkouts: CheckoutSettlement;
  readonly clock: Clock;
}): Hono {
  const { gate, state, passwords, checkouts, clock } = deps;
  const routes = new Hono();

  routes.post(
    PATH,
    gate.handler(STK_PUSH, (body, fault) => {
      const pushes = state.recordPush(body);
      const invalid = firstInvalidField(body, STK_PUSH_RULES);
      if (invalid !== null) {
        return darajaAnswers.badRequest(invalid);
      }
      const businessShortCode = String(body.BusinessShortCode);
      const partyB = String(body.PartyB);
      const transactionType = String(body.TransactionType);
      // A paybill is credited to itself; only Buy Goods credits a till other than the store number.
      if (transactionType === "CustomerPayBillOnline" && partyB !== businessShortCode) {
        return darajaAnswers.badRequest("PartyB");
      }
      if (!passwords.accepts(body)) {
        return darajaAnswers.wrongCredentials();
      }
      const phone = String(body.PhoneNumber);
      const outcome = stkOutcomeFor(phone);
      if (outcome.kind === "busy") {
        return darajaAnswers.envelope({
          status: 500,
          errorCode: "500.001.1001",
          errorMessage:
            "Unable to lock subscriber, a transaction is already in process for the current subscriber",
        });
      }
      const checkout: CheckoutRecord = {
        checkoutRequestId: state.unusedCheckoutRequestId(clock.now(), phone),
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
        decimalAmount: pushes % 2 === 0,
        status: "pending",
        receipt: null,
        transactionDate: null,
      };
      state.addCheckout(checkout);
      checkouts.scheduleFor(checkout, fault?.callback?.delayMs ?? 0);
      return darajaAnswers.json(
        {
          MerchantRequestID: checkout.merchantRequestId,
          CheckoutRequestID: checkout.checkoutRequestId,
          ResponseCode: "0",
          ResponseDescription: "Success. Request accepted for processing",
          CustomerMessage: "Success. Request accepted for processing",
        },
        200,
      );
    }),
  );
  routes.all(PATH, () => darajaAnswers.methodNotAllowed());

  return routes;
}
