import { createHash } from "node:crypto";
import { Hono } from "hono";
import { request } from "undici";
import type { Clock } from "../../application/ports/clock.ts";
import type { CallbackDeliveries } from "./callback-deliveries.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import type { DarajaApi, DarajaApiGate } from "./daraja-api-gate.ts";
import { figure } from "./simulator-balances.ts";
import { nairobiParts, simulatorIds } from "./simulator-ids.ts";
import type { SimulatorState } from "./simulator-state.ts";

/** How long Daraja waits for a validation answer before it applies the registered ResponseType. */
export const C2B_VALIDATION_TIMEOUT_MS = 8_000;

/** Pull Transactions returns the payments of this long ago at most. */
const PULL_WINDOW_MS = 48 * 60 * 60 * 1000;

/** Words Daraja refuses in C2B URLs. */
const REFUSED_WORDS = ["mpesa", "m-pesa", "safaricom", "exe", "exec", "cmd", "sql", "query"];

/** The payer's phone that makes the simulator deliver the confirmation three times. */
export const C2B_TRIPLE_CONFIRMATION_PHONE = "254700000006";
/** The payer's phone whose payment is made but whose confirmation is never sent (only Pull Transactions knows). */
export const C2B_SILENT_PHONE = "254700000005";

type Registration = {
  readonly responseType: "Completed" | "Cancelled";
  readonly confirmationUrl: string;
  readonly validationUrl: string;
};

/** A simulated customer payment, as Pull Transactions returns it. */
type C2bRecord = {
  readonly shortcode: string;
  readonly receipt: string;
  readonly at: Date;
  readonly msisdn: string;
  readonly amount: number;
  readonly billRef: string;
  readonly transactionType: string;
  readonly firstName: string;
};

/** The C2B side of the simulator: registrations by shortcode and the payments made, for Pull Transactions. */
export class SimulatorC2bLedger {
  readonly registrations = new Map<string, Registration>();
  readonly payments: C2bRecord[] = [];
  readonly pullRegistrations = new Map<string, string>();

  /** The Transaction Status result for a simulated payment's receipt, as Daraja sends it; null for none. */
  statusResult(
    receipt: string,
    ack: { ConversationID: string; OriginatorConversationID: string },
  ): unknown | null {
    const payment = this.payments.find((p) => p.receipt === receipt);
    if (payment === undefined) {
      return null;
    }
    return {
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        ...ack,
        TransactionID: simulatorIds.placeholderReceipt(),
        ResultParameters: {
          ResultParameter: [
            { Key: "DebitPartyName", Value: `${payment.msisdn} - ${payment.firstName.toUpperCase()}` },
            { Key: "CreditPartyName", Value: `${payment.shortcode} - Simulated Shop` },
            { Key: "TransactionStatus", Value: "Completed" },
            { Key: "FinalisedTime", Value: mpesaTime(payment.at) },
            { Key: "Amount", Value: String(payment.amount) },
            { Key: "ReceiptNo", Value: payment.receipt },
            { Key: "ReasonType", Value: "Pay Bill Online" },
          ],
        },
        ReferenceData: { ReferenceItem: { Key: "Occasion", Value: "Payment status" } },
      },
    };
  }

  reset(): void {
    this.registrations.clear();
    this.payments.length = 0;
    this.pullRegistrations.clear();
  }
}

const C2B_REGISTER: DarajaApi = {
  name: "c2b_register",
  invalidToken: { status: 400, errorCode: "400.003.01", errorMessage: "Invalid Access Token" },
  firstField: "ShortCode",
};
const C2B_SIMULATE: DarajaApi = {
  name: "c2b_simulate",
  invalidToken: { status: 400, errorCode: "400.003.01", errorMessage: "Invalid Access Token" },
  firstField: "ShortCode",
};
const PULL: DarajaApi = {
  name: "pull_transactions",
  invalidToken: { status: 400, errorCode: "400.003.01", errorMessage: "Invalid Access Token" },
  firstField: "ShortCode",
};

const text = (value: unknown): string =>
  typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";

function acceptableUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const lower = url.toLowerCase();
  return (
    (parsed.protocol === "http:" || parsed.protocol === "https:") &&
    !REFUSED_WORDS.some((word) => lower.includes(word))
  );
}

const mpesaTime = (at: Date) => {
  const p = nairobiParts(at);
  return `${p.year}${p.month}${p.day}${p.hours}${p.minutes}${p.seconds}`;
};

/** `2547 ***** 126`, as v2 confirmations mask the payer's number. */
const masked = (msisdn: string) => `${msisdn.slice(0, 4)} ***** ${msisdn.slice(-3)}`;

/**
 * C2B Register URL and C2B Simulate, at Daraja's v1 and v2 paths, and Pull Transactions (register and query).
 * A simulated payment calls the registered validation URL when validation is on for the shortcode
 * (SIMULATOR_C2B_VALIDATION), honours its answer (no answer in 8 s: the registered ResponseType), then posts the
 * confirmation: v1 with the payer's number as a SHA-256 hex, v2 masked. A second registration of a shortcode is
 * refused as in production (`500.003.1001 Urls are already registered.`) unless `reregister`.
 */
export function simulatorC2bRoutes(deps: {
  readonly gate: DarajaApiGate;
  readonly state: SimulatorState;
  readonly ledger: SimulatorC2bLedger;
  readonly callbacks: CallbackDeliveries;
  readonly clock: Clock;
  readonly reregister: boolean;
  readonly validationShortcodes: ReadonlySet<string>;
}): Hono {
  const { gate, state, ledger, callbacks, clock } = deps;
  const routes = new Hono();

  const register = gate.handler(C2B_REGISTER, (body) => {
    const shortcode = text(body.ShortCode);
    if (!/^\d{5,7}$/.test(shortcode)) {
      return darajaAnswers.badRequest("ShortCode");
    }
    const responseType = text(body.ResponseType);
    if (responseType !== "Completed" && responseType !== "Cancelled") {
      return darajaAnswers.badRequest("ResponseType");
    }
    const confirmationUrl = text(body.ConfirmationURL);
    if (!acceptableUrl(confirmationUrl)) {
      return darajaAnswers.badRequest("ConfirmationURL");
    }
    const validationUrl = text(body.ValidationURL);
    if (!acceptableUrl(validationUrl)) {
      return darajaAnswers.badRequest("ValidationURL");
    }
    if (ledger.registrations.has(shortcode) && !deps.reregister) {
      return darajaAnswers.envelope({
        status: 500,
        errorCode: "500.003.1001",
        errorMessage: "Urls are already registered.",
      });
    }
    ledger.registrations.set(shortcode, { responseType, confirmationUrl, validationUrl });
    return darajaAnswers.json(
      {
        OriginatorCoversationID: simulatorIds.originatorConversationId(),
        ResponseCode: "0",
        ResponseDescription: "Success",
      },
      200,
    );
  });

  /** Asks the validation URL; true when the payment may go on. */
  const validated = async (registration: Registration, payload: Record<string, string>): Promise<boolean> => {
    try {
      const response = await request(registration.validationUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...payload, OrgAccountBalance: "" }),
        headersTimeout: C2B_VALIDATION_TIMEOUT_MS,
        bodyTimeout: C2B_VALIDATION_TIMEOUT_MS,
      });
      const answer = (await response.body.json().catch(() => null)) as { ResultCode?: unknown } | null;
      if (response.statusCode >= 300 || answer === null || answer.ResultCode === undefined) {
        return registration.responseType === "Completed";
      }
      return String(answer.ResultCode) === "0";
    } catch {
      return registration.responseType === "Completed";
    }
  };

  const simulate = (version: "v1" | "v2") =>
    gate.handler(C2B_SIMULATE, (body) => {
      const shortcode = text(body.ShortCode);
      const registration = ledger.registrations.get(shortcode);
      if (registration === undefined) {
        return darajaAnswers.badRequest("ShortCode");
      }
      const commandId = text(body.CommandID);
      if (commandId !== "CustomerPayBillOnline" && commandId !== "CustomerBuyGoodsOnline") {
        return darajaAnswers.badRequest("CommandID");
      }
      const amountText = text(body.Amount);
      if (!/^\d{1,6}$/.test(amountText) || Number(amountText) < 1 || Number(amountText) > 250_000) {
        return darajaAnswers.badRequest("Amount");
      }
      const msisdn = text(body.Msisdn);
      if (!/^254[17]\d{8}$/.test(msisdn)) {
        return darajaAnswers.badRequest("Msisdn");
      }
      const billRef = commandId === "CustomerPayBillOnline" ? text(body.BillRefNumber).slice(0, 20) : "";
      const ack = {
        ConversationID: simulatorIds.conversationId(clock.now()),
        OriginatorCoversationID: simulatorIds.originatorConversationId(),
        ResponseCode: "0",
        ResponseDescription: "Accept the service request successfully.",
      };
      callbacks.schedule(async () => {
        const at = clock.now();
        const payload: Record<string, string> = {
          TransactionType: commandId === "CustomerPayBillOnline" ? "Pay Bill" : "Buy Goods",
          TransID: state.freshReceipt(),
          TransTime: mpesaTime(at),
          TransAmount: `${amountText}.00`,
          BusinessShortCode: shortcode,
          BillRefNumber: billRef,
          InvoiceNumber: "",
          ThirdPartyTransID: "",
          MSISDN: version === "v1" ? createHash("sha256").update(msisdn).digest("hex") : masked(msisdn),
          FirstName: "John",
          MiddleName: version === "v1" ? "J." : "",
          LastName: version === "v1" ? "Doe" : "",
        };
        if (deps.validationShortcodes.has(shortcode) && !(await validated(registration, payload))) {
          return;
        }
        ledger.payments.push({
          shortcode,
          receipt: payload.TransID as string,
          at,
          msisdn,
          amount: Number(amountText),
          billRef,
          transactionType: payload.TransactionType as string,
          firstName: "John",
        });
        const balance = state.balances.credit(shortcode, Number(amountText));
        if (msisdn === C2B_SILENT_PHONE) {
          return;
        }
        const confirmation = JSON.stringify({ ...payload, OrgAccountBalance: figure(balance) });
        const times = msisdn === C2B_TRIPLE_CONFIRMATION_PHONE ? 3 : 1;
        await callbacks.sendRacing("c2b_confirmation", registration.confirmationUrl, confirmation, times, 50);
      }, state.delayMs);
      return darajaAnswers.json(ack, 200);
    });

  const pullRegister = gate.handler(PULL, (body) => {
    const shortcode = text(body.ShortCode);
    if (!/^\d{5,7}$/.test(shortcode)) {
      return darajaAnswers.badRequest("ShortCode");
    }
    ledger.pullRegistrations.set(shortcode, text(body.CallBackURL));
    return darajaAnswers.json(
      {
        ResponseRefID: simulatorIds.requestId(),
        ResponseStatus: "1000",
        ShortCode: shortcode,
        ResponseDescription: "Shortcode registered successfully",
      },
      200,
    );
  });

  const pullQuery = gate.handler(PULL, (body) => {
    const shortcode = text(body.ShortCode);
    if (!/^\d{5,7}$/.test(shortcode)) {
      return darajaAnswers.badRequest("ShortCode");
    }
    const since = clock.now().getTime() - PULL_WINDOW_MS;
    const asked = Number(text(body.OffSetValue) || "0");
    const offset = Number.isInteger(asked) ? Math.max(asked, 0) : 0;
    const found = ledger.payments
      .filter((p) => p.shortcode === shortcode && p.at.getTime() >= since)
      .slice(offset, offset + 1000);
    if (found.length === 0) {
      return darajaAnswers.json(
        {
          ResponseRefID: simulatorIds.requestId(),
          ResponseCode: "1001",
          ResponseMessage: "No records found",
          Response: [[]],
        },
        200,
      );
    }
    return darajaAnswers.json(
      {
        ResponseRefID: simulatorIds.requestId(),
        ResponseCode: "1000",
        ResponseMessage: "Success",
        Response: [
          found.map((p) => ({
            transactionId: p.receipt,
            trxDate: p.at.toISOString(),
            msisdn: Number(p.msisdn),
            sender: "MPESA",
            transactiontype: "c2b-pay-bill-debit",
            billreference: p.billRef,
            amount: `${p.amount}.00`,
            organizationname: p.firstName,
          })),
        ],
      },
      200,
    );
  });

  for (const version of ["v1", "v2"] as const) {
    routes.post(`/mpesa/c2b/${version}/registerurl`, register);
    routes.post(`/mpesa/c2b/${version}/simulate`, simulate(version));
  }
  routes.post("/pulltransactions/v1/register", pullRegister);
  routes.post("/pulltransactions/v1/query", pullQuery);
  return routes;
}
