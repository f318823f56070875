import { describe, expect, it } from "vitest";
import {
  parseAccountBalanceResult,
  parseBalanceString,
  parseLookupTimeout,
  parseTransactionStatusResult,
} from "../../src/adapters/daraja/parse-lookup-result.ts";
import { okValue, sample } from "./daraja-test-kit.ts";

/** Safaricom's documented Account Balance success, in the shape of the real 2001 capture. */
const DOCS_BALANCE =
  "Working Account|KES|700000.00|700000.00|0.00|0.00&Float Account|KES|0.00|0.00|0.00|0.00&Utility Account|KES|228037.00|228037.00|0.00|0.00&Charges Paid Account|KES|-1540.00|-1540.00|0.00|0.00&Organization Settlement Account|KES|0.00|0.00|0.00|0.00";

const balanceResult = (value: unknown, completed: unknown = 20200625232427) => ({
  Result: {
    ResultType: 0,
    ResultCode: 0,
    ResultDesc: "The service request is processed successfully.",
    OriginatorConversationID: "16917-22577599-3",
    ConversationID: "AG_20200206_00005e091a8ec6b9eac5",
    TransactionID: "OA90000000",
    ResultParameters: {
      ResultParameter: [
        { Key: "AccountBalance", Value: value },
        { Key: "BOCompletedTime", Value: completed },
      ],
    },
    ReferenceData: { ReferenceItem: { Key: "QueueTimeoutURL", Value: "https://internalsandbox/abresults" } },
  },
});

describe("Transaction Status results, as Daraja sends them", () => {
  it("reads Safaricom's documented success: the second DebitPartyName is the credit party", () => {
    const outcome = okValue(parseTransactionStatusResult(sample("transaction_status_result_docs")));
    expect(outcome).toEqual({
      type: "transaction",
      transaction: {
        receipt: "MBN31H462N",
        status: "Completed",
        amount: 300,
        debitParty: "600310 - Safaricom333",
        creditParty: "254708374149 - John Doe",
        // FinalisedTime 20180223054112, Nairobi time.
        completedAt: new Date("2018-02-23T02:41:12.000Z"),
        reasonType: "Business Payment to Customer via API",
      },
    });
  });

  it("reads the real 2001 failure as a failed query with M-Pesa's reason", () => {
    expect(
      okValue(parseTransactionStatusResult(sample("transaction_status_result_2001_sandbox_2018"))),
    ).toEqual({ type: "failed", resultCode: "2001", reason: "The initiator information is invalid." });
  });

  it("prefers CreditPartyName where M-Pesa sends one", () => {
    const json = {
      Result: {
        ResultCode: "0",
        ResultDesc: "ok",
        OriginatorConversationID: "x-1",
        ResultParameters: {
          ResultParameter: [
            { Key: "DebitPartyName", Value: "254712345678 - JANE" },
            { Key: "CreditPartyName", Value: "600100 - Duka" },
            { Key: "Amount", Value: "1500.00" },
            { Key: "ReceiptNo", Value: "SBK4QUB1VA" },
          ],
        },
      },
    };
    expect(okValue(parseTransactionStatusResult(json))).toMatchObject({
      transaction: {
        debitParty: "254712345678 - JANE",
        creditParty: "600100 - Duka",
        amount: 1500,
        status: "Unknown",
        completedAt: null,
        reasonType: null,
      },
    });
  });

  it("refuses what is not a result", () => {
    expect(parseTransactionStatusResult({ Body: { stkCallback: {} } }).ok).toBe(false);
    expect(parseTransactionStatusResult("nope").ok).toBe(false);
  });
});

describe("Account Balance results, as Daraja sends them", () => {
  it("reads the real 2001 failure (the inner object alone, one parameter as an object)", () => {
    expect(okValue(parseAccountBalanceResult(sample("account_balance_result_2001_production_2020")))).toEqual(
      {
        type: "failed",
        resultCode: "2001",
        reason: "The initiator information is invalid.",
      },
    );
  });

  it("reads the documented balance string: every account, its figures kept as Daraja wrote them", () => {
    const outcome = okValue(parseAccountBalanceResult(balanceResult(DOCS_BALANCE)));
    expect(outcome).toEqual({
      type: "balance",
      at: new Date("2020-06-25T20:24:27.000Z"),
      accounts: [
        {
          name: "Working Account",
          currency: "KES",
          total: "700000.00",
          available: "700000.00",
          reserved: "0.00",
          uncleared: "0.00",
        },
        {
          name: "Float Account",
          currency: "KES",
          total: "0.00",
          available: "0.00",
          reserved: "0.00",
          uncleared: "0.00",
        },
        {
          name: "Utility Account",
          currency: "KES",
          total: "228037.00",
          available: "228037.00",
          reserved: "0.00",
          uncleared: "0.00",
        },
        {
          name: "Charges Paid Account",
          currency: "KES",
          total: "-1540.00",
          available: "-1540.00",
          reserved: "0.00",
          uncleared: "0.00",
        },
        {
          name: "Organization Settlement Account",
          currency: "KES",
          total: "0.00",
          available: "0.00",
          reserved: "0.00",
          uncleared: "0.00",
        },
      ],
    });
  });

  it("fails the query, saying so, when a successful result's balance string cannot be read", () => {
    for (const broken of [
      "",
      "Working Account|KES|700000.00|700000.00|0.00",
      "Working Account|KES|7e5|700000.00|0.00|0.00",
      "Working Account|kes|1.00|1.00|0.00|0.00",
      "|KES|1.00|1.00|0.00|0.00",
      12,
      null,
    ]) {
      expect(okValue(parseAccountBalanceResult(balanceResult(broken)))).toMatchObject({
        type: "failed",
        resultCode: "0",
      });
    }
    expect(parseBalanceString(Array(21).fill("A|KES|1.00|1.00|0.00|0.00").join("&"))).toBeNull();
  });

  it("a queue timeout fails the query", () => {
    const timeout = {
      Result: {
        ResultType: 1,
        ResultCode: 1,
        ResultDesc: "The service request has timed out.",
        OriginatorConversationID: "x-1",
        ConversationID: "AG_1",
      },
    };
    expect(okValue(parseLookupTimeout(timeout))).toMatchObject({ type: "failed", resultCode: null });
    expect(parseLookupTimeout([]).ok).toBe(false);
  });
});
