import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseB2cResult } from "../../../src/adapters/daraja/parse-b2c-result.ts";
import type { B2cResult } from "../../../src/application/shared/daraja-notifications.ts";
import {
  outcomeOfB2cResult,
  outcomeOfStatusResult,
  queriedConversationId,
  queriedOriginatorConversationId,
} from "../../../src/application/shared/payout-outcome.ts";
import { b2cUrlsFor, statusUrlsFor } from "../../../src/application/shared/payout-urls.ts";
import { unwrap } from "../../support/builders.ts";

const sample = (name: string): B2cResult => {
  const text = readFileSync(
    new URL(`../../daraja/fixtures/samples/${name}.json.txt`, import.meta.url),
    "utf8",
  );
  return unwrap(parseB2cResult(JSON.parse(text)));
};

describe("what a B2C result says about a payout", () => {
  it("a success completes it, with the receipt, the recipient and M-Pesa's completion time (Nairobi)", () => {
    expect(outcomeOfB2cResult(sample("b2c_result_success_docs"))).toEqual({
      type: "completed",
      receipt: "SG632NMUAB",
      recipientName: "254705912645 - NICHOLAS JOHN SONGOK",
      at: new Date("2024-07-06T19:48:52Z"),
    });
  });

  it("any other code fails it, with the code and M-Pesa's words", () => {
    expect(outcomeOfB2cResult(sample("b2c_result_2040_unregistered_customer_sandbox_2026"))).toMatchObject({
      type: "failed",
      resultCode: "2040",
    });
    expect(outcomeOfB2cResult(sample("b2c_result_1_insufficient_balance_production_2023"))).toMatchObject({
      type: "failed",
      resultCode: "1",
    });
    expect(outcomeOfB2cResult(sample("b2c_result_2001_initiator_invalid_sandbox_2018"))).toMatchObject({
      type: "failed",
      resultCode: "2001",
      description: "The initiator information is invalid.",
    });
  });

  it("a success with a single ResultParameter object is read like a list", () => {
    const result = unwrap(
      parseB2cResult({
        Result: {
          ResultCode: "0",
          OriginatorConversationID: "o-1",
          ResultParameters: { ResultParameter: { Key: "TransactionReceipt", Value: "UAB1234567" } },
        },
      }),
    );
    expect(outcomeOfB2cResult(result)).toMatchObject({ type: "completed", receipt: "UAB1234567", at: null });
  });
});

describe("what a Transaction Status result says about a payout", () => {
  it("Completed, with a receipt, completes it; the queried payout's ids are in the parameters", () => {
    const result = sample("transaction_status_result_docs");
    expect(outcomeOfStatusResult(result)).toEqual({
      type: "completed",
      receipt: "MBN31H462N",
      recipientName: null,
      at: new Date("2018-02-23T02:41:12Z"),
    });
    expect(result.originatorConversationId).toBe("3213-416199-2");
    expect(queriedOriginatorConversationId(result)).toBe("3211-416020-3");
    expect(queriedConversationId(result)).toBe("AG_20180223_000041b09c22e613d6c9");
  });

  it("a failed query, or any status but Completed, settles nothing: the money might still have moved", () => {
    expect(outcomeOfStatusResult(sample("transaction_status_result_2001_sandbox_2018"))).toMatchObject({
      type: "unsettled",
    });
    const declined = unwrap(
      parseB2cResult({
        Result: {
          ResultCode: 0,
          OriginatorConversationID: "q-1",
          ResultParameters: {
            ResultParameter: [
              { Key: "TransactionStatus", Value: "Declined" },
              { Key: "ReceiptNo", Value: "UAB1234567" },
            ],
          },
        },
      }),
    );
    expect(outcomeOfStatusResult(declined)).toMatchObject({ type: "unsettled" });
    const noReceipt = unwrap(
      parseB2cResult({
        Result: {
          ResultCode: 0,
          OriginatorConversationID: "q-2",
          ResultParameters: { ResultParameter: { Key: "TransactionStatus", Value: "Completed" } },
        },
      }),
    );
    expect(outcomeOfStatusResult(noReceipt)).toMatchObject({ type: "unsettled" });
    expect(queriedOriginatorConversationId(noReceipt)).toBeNull();
  });
});

describe("payout callback URLs", () => {
  it("are built on the origin of MPESA_CALLBACK_URL, whatever its path", () => {
    expect(b2cUrlsFor("https://pay.example.com/hooks/stk?x=1", "tok")).toEqual({
      resultUrl: "https://pay.example.com/api/mpesa/b2c/result/tok",
      queueTimeoutUrl: "https://pay.example.com/api/mpesa/b2c/timeout/tok",
    });
    expect(statusUrlsFor("http://localhost:3000/api/mpesa/callback", "tok")).toEqual({
      resultUrl: "http://localhost:3000/api/mpesa/status/result/tok",
      queueTimeoutUrl: "http://localhost:3000/api/mpesa/status/timeout/tok",
    });
  });
});
