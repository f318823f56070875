import { Hono } from "hono";
import * as v from "valibot";
import type { ConfirmC2bPayment } from "../../../application/c2b/confirm-c2b-payment.ts";
import type { ReceiveC2bConfirmation } from "../../../application/c2b/receive-c2b-confirmation.ts";
import type { ReceiveC2bStatusResult } from "../../../application/c2b/receive-c2b-status-result.ts";
import {
  C2B_ACCEPTED,
  type C2bValidationAnswer,
  type ValidateC2bPayment,
} from "../../../application/c2b/validate-c2b-payment.ts";
import type { BackgroundTasks } from "../../background/background-tasks.ts";
import { parseB2cResult, ResultEnvelope } from "../../daraja/parse-b2c-result.ts";
import { parseC2bNotification } from "../../daraja/parse-c2b-notification.ts";
import { readCallbackJson } from "../callback-json.ts";
import type { HttpEnv } from "../http-env.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { problemResponse } from "../problem.ts";
import { redactedPath } from "../redact-path.ts";
import { CALLBACK_ACCEPTED, CallbackAcceptedSchema } from "./mpesa-callback-routes.ts";

/** Where Daraja posts a business's C2B notifications; the last segment is the business's secret token. */
export const C2B_HOOK_PATHS = {
  confirmation: "/hooks/c2b/confirmation",
  validation: "/hooks/c2b/validation",
  statusResult: "/hooks/c2b/status/result",
  statusTimeout: "/hooks/c2b/status/timeout",
} as const;

/** A C2B confirmation or validation as Daraja posts it, for the OpenAPI document. */
export const C2bNotificationBody = v.object({
  TransactionType: v.optional(v.string()),
  TransID: v.string(),
  TransTime: v.string(),
  TransAmount: v.union([v.string(), v.number()]),
  BusinessShortCode: v.union([v.string(), v.number()]),
  BillRefNumber: v.optional(v.string()),
  InvoiceNumber: v.optional(v.string()),
  OrgAccountBalance: v.optional(v.string()),
  ThirdPartyTransID: v.optional(v.string()),
  MSISDN: v.union([v.string(), v.number()]),
  FirstName: v.optional(v.string()),
  MiddleName: v.optional(v.string()),
  LastName: v.optional(v.string()),
});

/** Daraja wants a validation answer within 3 seconds; PayMe answers by then, whatever its database does. */
export const C2B_VALIDATION_BUDGET_MS = 2_500;

const ValidationAnswerSchema = v.object({
  ResultCode: v.picklist(["0", "C2B00012", "C2B00013", "C2B00016"]),
  ResultDesc: v.string(),
});

/** The answer, or `fallback` if it does not come within `ms`. */
async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<{ value: T; late: boolean }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<{ value: T; late: boolean }>((resolve) => {
    timer = setTimeout(() => resolve({ value: fallback, late: true }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value, late: false })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Safaricom's C2B notifications, public, on the business's token path. A confirmation that is JSON always gets
 * `200 {"ResultCode":0,"ResultDesc":"Accepted"}` once it is stored (recorded, or only audited when it is malformed
 * or its token unknown), so that Safaricom never disables the URL; one that cannot be processed now is spooled.
 */
export function c2bHookRoutes(deps: {
  readonly receiveC2bConfirmation: ReceiveC2bConfirmation;
  readonly validateC2bPayment: ValidateC2bPayment;
  readonly confirmC2bPayment: ConfirmC2bPayment;
  readonly receiveC2bStatusResult: ReceiveC2bStatusResult;
  readonly background: BackgroundTasks;
}): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();
  const statusDoc = (summary: string) =>
    routeDoc({
      tag: "Safaricom callbacks",
      summary,
      description:
        "The Transaction Status answer about a C2B confirmation that came with an unknown token; the token in the path names the check.",
      auth: false,
      body: ResultEnvelope,
      success: { status: 200, description: "Received.", schema: CallbackAcceptedSchema },
      problems: [503],
    });
  routes.post(
    `${C2B_HOOK_PATHS.statusResult}/:token`,
    statusDoc("C2B check: Transaction Status result"),
    async (c) => {
      const json = await readCallbackJson(c);
      if (!json.ok) {
        return json.problem;
      }
      const parsed = parseB2cResult(json.body);
      if (!parsed.ok) {
        return problemResponse(c, {
          status: 400,
          code: "validation_failed",
          title: "Not a Transaction Status result",
          detail: parsed.error.message,
        });
      }
      const received = await deps.receiveC2bStatusResult.execute({
        token: c.req.param("token"),
        result: parsed.value,
        body: json.body,
        path: redactedPath(c),
      });
      c.var.log.info({ confirmed: received.confirmed }, "c2b status result received");
      return c.json(CALLBACK_ACCEPTED);
    },
  );
  routes.post(
    `${C2B_HOOK_PATHS.statusTimeout}/:token`,
    statusDoc("C2B check: Transaction Status queue timeout"),
    async (c) => {
      const json = await readCallbackJson(c);
      if (!json.ok) {
        return json.problem;
      }
      await deps.receiveC2bStatusResult.execute({
        token: c.req.param("token"),
        result: null,
        body: json.body,
        path: redactedPath(c),
      });
      return c.json(CALLBACK_ACCEPTED);
    },
  );
  routes.post(
    `${C2B_HOOK_PATHS.validation}/:token`,
    routeDoc({
      tag: "Safaricom callbacks",
      summary: "C2B validation",
      description:
        "Where Safaricom switched external validation on for the shortcode, Daraja asks here before taking a payment. Answered within 3 seconds: accepted, or rejected with C2B00012 (invalid account number), C2B00013 (invalid amount) or C2B00016 (other), by the rules the business registered. When PayMe cannot decide in time it accepts: refusing a customer's money is the worse mistake.",
      auth: false,
      body: C2bNotificationBody,
      success: { status: 200, description: "The validation answer.", schema: ValidationAnswerSchema },
    }),
    async (c) => {
      const json = await readCallbackJson(c);
      const parsed = json.ok ? parseC2bNotification(json.body) : null;
      const asked = deps.validateC2bPayment.execute({
        token: c.req.param("token"),
        notification: parsed?.ok === true ? parsed.value : null,
      });
      // A failure after the budget is logged, not left unhandled.
      asked.catch((error: unknown) => c.var.log.warn({ err: error }, "c2b validation failed"));
      const answer = await within<C2bValidationAnswer>(
        asked.catch(() => C2B_ACCEPTED),
        C2B_VALIDATION_BUDGET_MS,
        C2B_ACCEPTED,
      );
      c.var.log.info({ resultCode: answer.value.resultCode, late: answer.late }, "c2b validation answered");
      return c.json({ ResultCode: answer.value.resultCode, ResultDesc: answer.value.resultDesc });
    },
  );
  routes.post(
    `${C2B_HOOK_PATHS.confirmation}/:token`,
    routeDoc({
      tag: "Safaricom callbacks",
      summary: "C2B confirmation",
      description:
        "Daraja posts here each payment made to the business's registered paybill or till. Recorded once per TransID; a malformed one, or one on an unknown token, is only kept for audit.",
      auth: false,
      body: C2bNotificationBody,
      success: { status: 200, description: "Received (duplicates too).", schema: CallbackAcceptedSchema },
      problems: [503],
    }),
    async (c) => {
      const json = await readCallbackJson(c);
      if (!json.ok) {
        return json.problem;
      }
      const parsed = parseC2bNotification(json.body);
      const received = await deps.receiveC2bConfirmation.execute({
        token: c.req.param("token"),
        notification: parsed.ok ? parsed.value : null,
        body: json.body,
        path: redactedPath(c),
      });
      const { toConfirm } = received;
      if (toConfirm !== null) {
        deps.background.run(`confirm-c2b:${toConfirm.checkId}`, () =>
          deps.confirmC2bPayment.execute({ token: toConfirm.token }),
        );
      }
      c.var.log.info(
        {
          recordId: received.recordId,
          trusted: received.trusted,
          disposition: received.disposition,
          ...(parsed.ok ? {} : { problem: parsed.error.message }),
        },
        "c2b confirmation received",
      );
      return c.json(CALLBACK_ACCEPTED);
    },
  );
  return routes;
}
