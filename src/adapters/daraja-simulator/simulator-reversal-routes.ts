import { Hono } from "hono";
import * as v from "valibot";
import type { Clock } from "../../application/ports/clock.ts";
import type { CallbackDeliveries } from "./callback-deliveries.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import type { DarajaApi, DarajaApiGate } from "./daraja-api-gate.ts";
import type { InitiatorCredentials } from "./initiator-credentials.ts";
import { nairobiParts, simulatorIds } from "./simulator-ids.ts";
import { SIMULATOR_PHONES } from "./simulator-outcomes.ts";
import { type FieldRule, firstInvalidField } from "./simulator-request-rules.ts";
import type { SimulatorState } from "./simulator-state.ts";

const PATH = "/mpesa/reversal/v1/request";

const REVERSAL: DarajaApi = {
  name: "reversal",
  invalidToken: { status: 400, errorCode: "400.003.01", errorMessage: "Invalid Access Token" },
  firstField: "Initiator",
};

/** An initiator name the simulator treats as an API operator without the reversal role on the org portal. */
export const SIMULATOR_INITIATOR_WITHOUT_REVERSAL_ROLE = "noreversal";

const text = (min: number, max: number) => v.pipe(v.string(), v.minLength(min), v.maxLength(max));

/** Reversal v1, as the community's working clients send it (Daraja's page is thin; see the README). */
export const REVERSAL_RULES: readonly FieldRule[] = [
  { field: "Initiator", schema: text(1, 100) },
  { field: "SecurityCredential", schema: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]+={0,2}$/)) },
  { field: "CommandID", schema: v.literal("TransactionReversal") },
  { field: "TransactionID", schema: text(1, 20) },
  {
    field: "Amount",
    schema: v.union([
      v.pipe(v.number(), v.integer(), v.minValue(1)),
      v.pipe(v.string(), v.regex(/^[1-9]\d*$/)),
    ]),
  },
  {
    field: "ReceiverParty",
    schema: v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.regex(/^\d{5,7}$/)),
  },
  { field: "RecieverIdentifierType", schema: v.picklist(["11", "4", 11, 4]) },
  { field: "ResultURL", schema: v.pipe(v.string(), v.url()) },
  { field: "QueueTimeOutURL", schema: v.pipe(v.string(), v.url()) },
  { field: "Remarks", schema: text(1, 100) },
  { field: "Occasion", schema: text(0, 100), optional: true },
];

type ReversalOutcome =
  | { readonly kind: "completed" }
  | { readonly kind: "queue_timeout" }
  | { readonly kind: "failed"; readonly resultCode: string | number; readonly resultDesc: string };

/** A reversal the simulator accepted, and what became of it. */
export type ReversalRecord = {
  readonly originatorConversationId: string;
  readonly conversationId: string;
  readonly initiatorName: string;
  readonly securityCredential: string;
  /** The receipt reversed. */
  readonly originalReceipt: string;
  readonly amount: number;
  readonly receiverParty: string;
  readonly resultUrl: string;
  readonly queueTimeoutUrl: string;
  readonly requestedAt: Date;
  readonly callbackDeliveries: number | null;
  outcome: ReversalOutcome | null;
  status: "pending" | "settled";
  /** The reversal's own TransactionID, once it moved money. */
  receipt: string | null;
  completedAt: Date | null;
};

const PROCESSED = "The service request is processed successfully.";

/**
 * The simulator's reversals: what happened to each (by OriginatorConversationID), and which receipts are
 * reversed. `reset` forgets them, with the rest of the simulator's state.
 */
export class SimulatorReversals {
  private readonly records = new Map<string, ReversalRecord>();
  private readonly reversed = new Set<string>();

  constructor(
    private readonly state: SimulatorState,
    private readonly initiators: InitiatorCredentials,
    private readonly callbacks: CallbackDeliveries,
    private readonly clock: Clock,
  ) {}

  add(record: ReversalRecord, extraDelayMs: number): void {
    this.records.set(record.originatorConversationId, record);
    this.callbacks.schedule(() => this.settle(record), this.state.delayMs + extraDelayMs);
  }

  byOriginatorConversationId(id: string): ReversalRecord | null {
    return this.records.get(id) ?? null;
  }

  reset(): void {
    this.records.clear();
    this.reversed.clear();
  }

  /**
   * Decided when the reversal settles, in the order the reversals of one receipt settle: a bad credential
   * (2001), an initiator without the reversal role (21), an unknown receipt (R000002), one reversed already
   * (R000001), a payment from the queue-timeout phone (the result never comes: only Transaction Status tells),
   * else completed.
   */
  private outcomeOf(record: ReversalRecord): ReversalOutcome {
    if (record.outcome !== null) {
      return record.outcome;
    }
    let outcome: ReversalOutcome;
    if (!this.initiators.accepts(record.initiatorName, record.securityCredential)) {
      outcome = { kind: "failed", resultCode: 2001, resultDesc: "The initiator information is invalid." };
    } else if (record.initiatorName === SIMULATOR_INITIATOR_WITHOUT_REVERSAL_ROLE) {
      outcome = {
        kind: "failed",
        resultCode: 21,
        resultDesc: "The initiator is not allowed to initiate this request.",
      };
    } else if (!this.state.knowsReceipt(record.originalReceipt)) {
      outcome = {
        kind: "failed",
        resultCode: "R000002",
        resultDesc: "The OriginalTransactionID is invalid.",
      };
    } else if (this.reversed.has(record.originalReceipt)) {
      outcome = {
        kind: "failed",
        resultCode: "R000001",
        resultDesc: "The transaction has already been reversed.",
      };
    } else {
      const payer = this.state.checkoutWithReceipt(record.originalReceipt)?.phone;
      outcome = payer === SIMULATOR_PHONES.queueTimeout ? { kind: "queue_timeout" } : { kind: "completed" };
    }
    if (outcome.kind !== "failed") {
      this.reversed.add(record.originalReceipt);
      record.receipt ??= this.state.freshReceipt();
    }
    record.outcome = outcome;
    return outcome;
  }

  private async settle(record: ReversalRecord): Promise<void> {
    if (record.status === "settled") {
      return;
    }
    record.status = "settled";
    const outcome = this.outcomeOf(record);
    record.completedAt = this.clock.now();
    const times = record.callbackDeliveries ?? 1;
    if (outcome.kind === "queue_timeout") {
      const body = {
        Result: {
          ResultType: 1,
          ResultCode: 1,
          ResultDesc: "The service request has timed out.",
          OriginatorConversationID: record.originatorConversationId,
          ConversationID: record.conversationId,
          TransactionID: simulatorIds.placeholderReceipt(),
        },
      };
      await this.callbacks.sendTimes("reversal_timeout", record.queueTimeoutUrl, JSON.stringify(body), times);
      return;
    }
    await this.callbacks.sendTimes(
      "reversal_result",
      record.resultUrl,
      JSON.stringify(this.resultBody(record, outcome)),
      times,
    );
  }

  /** The Reversal result: parameters on success only, as Daraja's results go. */
  private resultBody(record: ReversalRecord, outcome: ReversalOutcome): unknown {
    const base = {
      ResultType: 0,
      OriginatorConversationID: record.originatorConversationId,
      ConversationID: record.conversationId,
    };
    const referenceData = {
      ReferenceItem: {
        Key: "QueueTimeoutURL",
        Value: "https://internalsandbox.safaricom.co.ke/mpesa/reversalresults/v1/submit",
      },
    };
    if (outcome.kind === "failed") {
      return {
        Result: {
          ...base,
          ResultCode: outcome.resultCode,
          ResultDesc: outcome.resultDesc,
          TransactionID: simulatorIds.placeholderReceipt(),
          ReferenceData: referenceData,
        },
      };
    }
    return {
      Result: {
        ...base,
        ResultCode: 0,
        ResultDesc: PROCESSED,
        TransactionID: record.receipt,
        ResultParameters: {
          ResultParameter: [
            { Key: "DebitAccountBalance", Value: "Utility Account|KES|0.00|0.00|0.00|0.00" },
            { Key: "Amount", Value: record.amount },
            { Key: "TransCompletedTime", Value: Number(stamp(record.completedAt ?? this.clock.now())) },
            { Key: "OriginalTransactionID", Value: record.originalReceipt },
            { Key: "Charge", Value: 0 },
            { Key: "CreditPartyPublicName", Value: "SIMULATED PAYER" },
            { Key: "DebitPartyPublicName", Value: `${record.receiverParty} - PayMe Simulator` },
          ],
        },
        ReferenceData: referenceData,
      },
    };
  }

  /**
   * A Transaction Status result about a reversal, by the reversal's OriginatorConversationID; null when the
   * simulator made no such reversal. A reversal that moved money (its queue may have timed out) is
   * "Completed" with its receipt; a failed one repeats its failure.
   */
  statusResult(
    originalConversationId: string,
    ack: { ConversationID: string; OriginatorConversationID: string },
    initiatorAccepted: boolean,
  ): unknown | null {
    const record = this.records.get(originalConversationId);
    if (record === undefined) {
      return null;
    }
    const base = { ResultType: 0, ...ack, TransactionID: simulatorIds.placeholderReceipt() };
    const failure = (resultCode: string | number, resultDesc: string) => ({
      Result: { ...base, ResultCode: resultCode, ResultDesc: resultDesc },
    });
    if (!initiatorAccepted) {
      return failure(2001, "The initiator information is invalid.");
    }
    const outcome = this.outcomeOf(record);
    if (outcome.kind === "failed") {
      return failure(outcome.resultCode, outcome.resultDesc);
    }
    const now = this.clock.now();
    return {
      Result: {
        ...base,
        ResultCode: 0,
        ResultDesc: PROCESSED,
        ResultParameters: {
          ResultParameter: [
            { Key: "DebitPartyName", Value: `${record.receiverParty} - PayMe Simulator` },
            { Key: "CreditPartyName", Value: "SIMULATED PAYER" },
            { Key: "OriginatorConversationID", Value: record.originatorConversationId },
            { Key: "InitiatedTime", Value: stamp(record.requestedAt) },
            { Key: "ReasonType", Value: "Reversal" },
            { Key: "TransactionStatus", Value: "Completed" },
            { Key: "FinalisedTime", Value: stamp(record.completedAt ?? now) },
            { Key: "Amount", Value: String(record.amount) },
            { Key: "ConversationID", Value: record.conversationId },
            { Key: "ReceiptNo", Value: record.receipt },
          ],
        },
      },
    };
  }
}

function stamp(at: Date): string {
  const p = nairobiParts(at);
  return `${p.year}${p.month}${p.day}${p.hours}${p.minutes}${p.seconds}`;
}

/**
 * Reversal v1: checked field by field, accepted at once, and settled after the callback delay with its result
 * (or queue timeout) by callback. The caller's OriginatorConversationID is echoed when it sends one (the
 * simulator's choice: Daraja's v1 documents none), else one is made up as Daraja does.
 */
export function simulatorReversalRoutes(deps: {
  readonly gate: DarajaApiGate;
  readonly reversals: SimulatorReversals;
  readonly clock: Clock;
}): Hono {
  const { gate, reversals, clock } = deps;
  const routes = new Hono();
  routes.post(
    PATH,
    gate.handler(REVERSAL, (body, fault) => {
      const invalid = firstInvalidField(body, REVERSAL_RULES);
      if (invalid !== null) {
        return darajaAnswers.badRequest(invalid);
      }
      const given =
        typeof body.OriginatorConversationID === "string" ? body.OriginatorConversationID.trim() : "";
      const originatorConversationId = given === "" ? simulatorIds.originatorConversationId() : given;
      if (reversals.byOriginatorConversationId(originatorConversationId) !== null) {
        return darajaAnswers.envelope({
          status: 500,
          errorCode: "500.002.1001",
          errorMessage: "Duplicate OriginatorConversationID.",
        });
      }
      const now = clock.now();
      const record: ReversalRecord = {
        originatorConversationId,
        conversationId: simulatorIds.conversationId(now),
        initiatorName: String(body.Initiator),
        securityCredential: String(body.SecurityCredential),
        originalReceipt: String(body.TransactionID).trim(),
        amount: Number(body.Amount),
        receiverParty: String(body.ReceiverParty),
        resultUrl: String(body.ResultURL),
        queueTimeoutUrl: String(body.QueueTimeOutURL),
        requestedAt: now,
        callbackDeliveries: fault?.callback?.deliveries ?? null,
        outcome: null,
        status: "pending",
        receipt: null,
        completedAt: null,
      };
      reversals.add(record, fault?.callback?.delayMs ?? 0);
      return darajaAnswers.json(
        {
          OriginatorConversationID: originatorConversationId,
          ConversationID: record.conversationId,
          ResponseCode: "0",
          ResponseDescription: "Accept the service request successfully.",
        },
        200,
      );
    }),
  );
  routes.all(PATH, () => darajaAnswers.methodNotAllowed());
  return routes;
}
