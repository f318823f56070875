import { describe, expect, it } from "vitest";
import { parseB2cQueueTimeout } from "../../src/adapters/daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult } from "../../src/adapters/daraja/parse-b2c-result.ts";
import { parseMpesaTime } from "../../src/adapters/daraja/parse-mpesa-time.ts";
import { parseStkCallback } from "../../src/adapters/daraja/parse-stk-callback.ts";
import type { B2cResult, StkCallback } from "../../src/application/shared/daraja-notifications.ts";
import { okValue, sample, samples } from "./daraja-test-kit.ts";

const failed = (resultCode: string, checkoutRequestId: string): Partial<StkCallback> => ({
  resultCode,
  checkoutRequestId,
  amount: null,
  mpesaReceipt: null,
  phone: null,
  transactionDate: null,
});

/** What each STK callback sample means. Every stk_callback_* sample must be listed here. */
const STK_CALLBACKS: Readonly<Record<string, Partial<StkCallback>>> = {
  stk_callback_1019_expired_fragment_2022: failed("1019", "ws_CO_23052022122137653708374149"),
  stk_callback_1032_cancelled_2022: failed("1032", "ws_CO_250120221939489953"),
  stk_callback_1032_cancelled_2025_new_wording: failed("1032", "ws_CO_20092025132422581700000075"),
  stk_callback_1032_docs: failed("1032", "ws_CO_21072024125243250722943992"),
  stk_callback_1037_ds_timeout_2022: failed("1037", "ws_CO_250120221936525017"),
  stk_callback_1037_ds_timeout_2023: failed("1037", "ws_CO_12072023162736334712345678"),
  stk_callback_1037_no_response_2025: failed("1037", "ws_CO_20092025145200149700000075"),
  stk_callback_11_debitparty_invalid_state_2026: failed("11", "ws_CO_20022026003408055712345678"),
  stk_callback_1_insufficient_balance_2025: failed("1", "ws_CO_20092025133654786700000075"),
  stk_callback_2001_wrong_pin_2023: failed("2001", "ws_CO_30062023012640567700000084"),
  stk_callback_9999_push_error_2025: failed("9999", "ws_CO_07102025132332610700000075"),
  stk_callback_SFC_IC0003_operator_not_exist_2021: failed("SFC_IC0003", "ws_CO_22062021155116737510"),
  stk_callback_success_amount_decimal_2023: {
    resultCode: "0",
    merchantRequestId: "8352-54996773-1",
    checkoutRequestId: "ws_CO_25072023013319541700000086",
    amount: 1,
    mpesaReceipt: "RGP6CZDYG6",
    phone: "254700000086",
    transactionDate: "20230725013147",
  },
  stk_callback_success_docs_no_balance: {
    resultCode: "0",
    checkoutRequestId: "ws_CO_191220191020363925",
    amount: 1,
    mpesaReceipt: "NLJ7RT61SV",
    phone: "254708374149",
    transactionDate: "20191219102115",
  },
  stk_callback_success_with_empty_balance_2025: {
    resultCode: "0",
    checkoutRequestId: "ws_CO_20092025135609937700000075",
    amount: 1,
    mpesaReceipt: "TIK4QUB1VA",
    phone: "254700000075",
    transactionDate: "20250920135619",
  },
  stk_callback_success_with_empty_balance_sandbox_2017: {
    resultCode: "0",
    checkoutRequestId: "ws_CO_04112017184930742",
    amount: 1,
    mpesaReceipt: "LK451H35OP",
    phone: "254700000083",
    transactionDate: "20171104184944",
  },
};

const noParameters = { receipt: null, amount: null, recipientName: null, transactionStatus: null };

/** What each B2C / Transaction Status result sample means. Every b2c_result_* and *_result_* sample is listed. */
const RESULTS: Readonly<Record<string, Partial<B2cResult>>> = {
  b2c_result_17_system_internal_error_sandbox_2017: {
    resultCode: "17",
    transactionId: "LLS81H3W6E",
    ...noParameters,
  },
  b2c_result_1_insufficient_balance_production_2023: { resultCode: "1", ...noParameters },
  b2c_result_2001_initiator_invalid_sandbox_2018: { resultCode: "2001", ...noParameters },
  b2c_result_2040_unregistered_customer_sandbox_2026: {
    resultCode: "2040",
    transactionId: "UAV0000000",
    originatorConversationId: "bf47-4a79-a5e6-6bd68fe3b14e5682",
    ...noParameters,
  },
  b2c_result_success_docs: {
    resultType: 0,
    resultCode: "0",
    conversationId: "AG_20240706_2010364430d9bbdaf872",
    receipt: "SG632NMUAB",
    amount: 10,
    recipientName: "254705912645 - NICHOLAS JOHN SONGOK",
  },
  b2c_result_success_production_2023: {
    resultCode: "0",
    receipt: "RBH2V5OHDW",
    amount: 20,
    recipientName: "0790000004 - XXXXXX XXXXXXX XXXXXX XXXXX",
  },
  b2c_result_success_sandbox_2017: {
    resultCode: "0",
    receipt: "LHL41AHJ6G",
    amount: 100,
    recipientName: "254708374149 - John Doe",
  },
  transaction_status_result_docs: {
    resultCode: "0",
    originatorConversationId: "3213-416199-2",
    receipt: "MBN31H462N",
    amount: 300,
    transactionStatus: "Completed",
    // The doc sample repeats DebitPartyName where CreditPartyName belongs.
    recipientName: null,
  },
  transaction_status_result_2001_sandbox_2018: {
    resultCode: "2001",
    transactionId: "MAS0000000",
    ...noParameters,
  },
  account_balance_result_2001_production_2020: { resultCode: "2001", transactionId: "OFP0000000" },
};

describe("parseStkCallback on the real samples", () => {
  const all = samples();
  const callbacks = all.filter((s) => s.name.startsWith("stk_callback_"));

  it("knows what every STK callback sample means (none is left unchecked)", () => {
    expect(callbacks.map((s) => s.name).sort()).toEqual(Object.keys(STK_CALLBACKS).sort());
  });

  it.each(callbacks.map((s) => [s.name, s.json] as const))("%s parses to its outcome", (name, json) => {
    expect(okValue(parseStkCallback(json))).toMatchObject(STK_CALLBACKS[name] ?? { missing: name });
  });

  it.each(all.filter((s) => !s.name.startsWith("stk_callback_")).map((s) => [s.name, s.json] as const))(
    "%s is rejected as an STK callback, with a clear message",
    (_name, json) => {
      const parsed = parseStkCallback(json);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.type).toBe("not_stk_callback");
        expect(parsed.error.message).toMatch(/^Not an STK callback: .*(Body|stkCallback|Result)/);
      }
    },
  );

  it("says which field is wrong in a callback that is nearly right", () => {
    const parsed = parseStkCallback({ Body: { stkCallback: { ResultCode: 0, ResultDesc: "ok" } } });
    expect(parsed).toEqual({
      ok: false,
      error: {
        type: "not_stk_callback",
        message: expect.stringContaining("Body.stkCallback.CheckoutRequestID"),
        field: "Body.stkCallback.CheckoutRequestID",
      },
    });
  });

  it("reads metadata by name in any order, with the Balance value missing and strings for numbers", () => {
    const parsed = okValue(
      parseStkCallback({
        Body: {
          stkCallback: {
            CheckoutRequestID: "ws_CO_1",
            ResultCode: "0",
            ResultDesc: "ok",
            CallbackMetadata: {
              Item: [
                { Name: "PhoneNumber", Value: "254712345678" },
                { Name: "Balance" },
                { Name: "TransactionDate", Value: 20260301120000 },
                { Name: "MpesaReceiptNumber", Value: "ABC1234567" },
                { Name: "Amount", Value: "150.00" },
              ],
            },
          },
        },
      }),
    );
    expect(parsed).toMatchObject({
      merchantRequestId: null,
      amount: 150,
      phone: "254712345678",
      transactionDate: "20260301120000",
      mpesaReceipt: "ABC1234567",
    });
  });

  it("rejects what is not JSON of a callback at all", () => {
    for (const junk of [null, "text", 42, [], {}]) {
      expect(parseStkCallback(junk)).toMatchObject({ ok: false, error: { type: "not_stk_callback" } });
    }
  });
});

describe("parseB2cResult on the real samples", () => {
  const all = samples();
  const results = all.filter((s) => /(^b2c_result_|_status_result_|_balance_result_)/.test(s.name));

  it("knows what every result sample means (none is left unchecked)", () => {
    expect(results.map((s) => s.name).sort()).toEqual(Object.keys(RESULTS).sort());
  });

  it.each(results.map((s) => [s.name, s.json] as const))("%s parses to its outcome", (name, json) => {
    expect(okValue(parseB2cResult(json))).toMatchObject(RESULTS[name] ?? { missing: name });
  });

  it("indexes every parameter by key, a missing Value as null, the first of a repeated key", () => {
    const { parameters } = okValue(parseB2cResult(sample("transaction_status_result_docs")));
    expect(parameters).toMatchObject({
      DebitPartyName: "600310 - Safaricom333",
      OriginatorConversationID: "3211-416020-3",
      TransactionReason: null,
      Amount: "300",
    });
  });

  it("accepts ResultParameter as a single object", () => {
    const { parameters } = okValue(parseB2cResult(sample("account_balance_result_2001_production_2020")));
    expect(parameters).toEqual({ BOCompletedTime: 20200625232427 });
  });

  it("keeps the completion time, which reads as Nairobi time", () => {
    const result = okValue(parseB2cResult(sample("b2c_result_success_docs")));
    expect(result.parameters.TransactionCompletedDateTime).toBe("06.07.2024 22:48:52");
    expect(parseMpesaTime(result.parameters.TransactionCompletedDateTime)?.toISOString()).toBe(
      "2024-07-06T19:48:52.000Z",
    );
  });

  it("rejects STK callbacks and acknowledgements with a clear message", () => {
    for (const name of ["stk_callback_1032_docs", "b2c_sync_success_docs", "stk_query_result_0_success"]) {
      const parsed = parseB2cResult(sample(name));
      expect(parsed).toMatchObject({ ok: false, error: { type: "not_b2c_result" } });
      if (!parsed.ok) {
        expect(parsed.error.message).toMatch(/^Not a B2C or Transaction Status result: /);
      }
    }
  });
});

describe("parseB2cQueueTimeout", () => {
  it("reads the ids of a timeout notification, wrapped or flat", () => {
    expect(
      okValue(
        parseB2cQueueTimeout({
          Result: { ResultType: 1, ResultCode: 1, ResultDesc: "timed out", OriginatorConversationID: "oc-1" },
        }),
      ),
    ).toEqual({ originatorConversationId: "oc-1", conversationId: null, description: "timed out" });
    expect(
      okValue(parseB2cQueueTimeout({ OriginatorConversationID: "oc-2", ConversationID: "AG_1" })),
    ).toEqual({
      originatorConversationId: "oc-2",
      conversationId: "AG_1",
      description: null,
    });
  });

  it("rejects what is not a JSON object", () => {
    for (const junk of [null, "timeout", [], 1]) {
      expect(parseB2cQueueTimeout(junk)).toMatchObject({
        ok: false,
        error: { type: "not_b2c_queue_timeout" },
      });
    }
  });
});

describe("parseMpesaTime", () => {
  it("reads M-Pesa's two formats as Nairobi time, whatever the process time zone", () => {
    expect(parseMpesaTime(20191219102115)?.toISOString()).toBe("2019-12-19T07:21:15.000Z");
    expect(parseMpesaTime("17.02.2023 16:52:01")?.toISOString()).toBe("2023-02-17T13:52:01.000Z");
  });

  it("refuses impossible or foreign dates", () => {
    for (const bad of ["31.02.2023 10:00:00", "20231301000000", "2023-02-17 16:52:01", "", null]) {
      expect(parseMpesaTime(bad)).toBeNull();
    }
  });
});

describe("the bounds on callback fields (what is longer than Daraja ever sends could never be stored)", () => {
  const long = (length: number) => "x".repeat(length);
  const stk = (fields: Record<string, unknown>, items: { Name: string; Value: unknown }[] = []) => ({
    Body: {
      stkCallback: {
        MerchantRequestID: "29115-34620561-1",
        CheckoutRequestID: "ws_CO_16112025183706196790370094",
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        CallbackMetadata: { Item: items },
        ...fields,
      },
    },
  });

  it.each([
    ["CheckoutRequestID", { CheckoutRequestID: long(65) }, "Body.stkCallback.CheckoutRequestID", 64],
    ["MerchantRequestID", { MerchantRequestID: long(65) }, "Body.stkCallback.MerchantRequestID", 64],
    ["ResultCode", { ResultCode: long(33) }, "Body.stkCallback.ResultCode", 32],
    ["ResultDesc", { ResultDesc: long(1025) }, "Body.stkCallback.ResultDesc", 1024],
  ])(
    "refuses an STK callback whose %s is over its limit, naming the field",
    (_name, fields, field, limit) => {
      expect(parseStkCallback(stk(fields))).toEqual({
        ok: false,
        error: {
          type: "not_stk_callback",
          message: expect.stringContaining(`must be at most ${limit} characters`),
          field,
        },
      });
    },
  );

  it("refuses an STK callback whose 3,000-character CheckoutRequestID would break its index", () => {
    expect(parseStkCallback(stk({ CheckoutRequestID: long(3000) }))).toMatchObject({
      ok: false,
      error: { field: "Body.stkCallback.CheckoutRequestID" },
    });
  });

  it("refuses an over-long receipt in the metadata", () => {
    expect(parseStkCallback(stk({}, [{ Name: "MpesaReceiptNumber", Value: long(65) }]))).toEqual({
      ok: false,
      error: {
        type: "not_stk_callback",
        message: expect.stringContaining("must be at most 64 characters"),
        field: "Body.stkCallback.CallbackMetadata.Item.MpesaReceiptNumber",
      },
    });
  });

  it("takes every field at its limit (ids of 64 characters, padding trimmed first)", () => {
    const callback = okValue(
      parseStkCallback(
        stk(
          {
            CheckoutRequestID: ` ${long(64)} `,
            MerchantRequestID: long(64),
            ResultCode: long(32),
            ResultDesc: long(1024),
          },
          [{ Name: "MpesaReceiptNumber", Value: long(64) }],
        ),
      ),
    );
    expect(callback).toMatchObject({ checkoutRequestId: long(64), mpesaReceipt: long(64) });
  });

  const b2c = (fields: Record<string, unknown>, parameters: { Key: string; Value: unknown }[] = []) => ({
    Result: {
      ResultType: 0,
      ResultCode: 0,
      ResultDesc: "The service request is processed successfully.",
      OriginatorConversationID: "bf47-4a79-a5e6-6bd68fe3b14e5682",
      ConversationID: "AG_20240706_2010364430d9bbdaf872",
      TransactionID: "SG632NMUAB",
      ResultParameters: { ResultParameter: parameters },
      ...fields,
    },
  });

  it.each([
    [
      "OriginatorConversationID",
      { OriginatorConversationID: long(65) },
      "Result.OriginatorConversationID",
      64,
    ],
    ["ConversationID", { ConversationID: long(65) }, "Result.ConversationID", 64],
    ["TransactionID", { TransactionID: long(65) }, "Result.TransactionID", 64],
    ["ResultCode", { ResultCode: long(33) }, "Result.ResultCode", 32],
    ["ResultDesc", { ResultDesc: long(1025) }, "Result.ResultDesc", 1024],
  ])("refuses a B2C result whose %s is over its limit, naming the field", (_name, fields, field, limit) => {
    expect(parseB2cResult(b2c(fields))).toEqual({
      ok: false,
      error: {
        type: "not_b2c_result",
        message: expect.stringContaining(`must be at most ${limit} characters`),
        field,
      },
    });
  });

  it.each([
    ["TransactionReceipt", 65, 64],
    ["ReceiptNo", 65, 64],
    ["OriginatorConversationID", 65, 64],
    ["ConversationID", 65, 64],
    ["ReceiverPartyPublicName", 257, 256],
    ["CreditPartyName", 257, 256],
    ["TransactionStatus", 65, 64],
  ])("refuses a result whose %s parameter is over its limit", (key, length, limit) => {
    expect(parseB2cResult(b2c({}, [{ Key: key, Value: long(length) }]))).toEqual({
      ok: false,
      error: {
        type: "not_b2c_result",
        message: expect.stringContaining(`must be at most ${limit} characters`),
        field: `Result.ResultParameters.ResultParameter.${key}`,
      },
    });
  });

  it("names the field of a bare result (no Result wrapper) too", () => {
    expect(parseB2cResult(b2c({ ConversationID: long(65) }).Result)).toMatchObject({
      ok: false,
      error: { field: "ConversationID" },
    });
  });

  it("takes a result with every field at its limit, and keeps other parameters as they are", () => {
    const result = okValue(
      parseB2cResult(
        b2c({ OriginatorConversationID: long(64), ResultDesc: long(1024) }, [
          { Key: "TransactionReceipt", Value: long(64) },
          { Key: "ReceiverPartyPublicName", Value: long(256) },
          { Key: "B2CUtilityAccountAvailableFunds", Value: long(2000) },
        ]),
      ),
    );
    expect(result).toMatchObject({ originatorConversationId: long(64), receipt: long(64) });
  });

  it.each([
    ["OriginatorConversationID", 65, "Result.OriginatorConversationID"],
    ["ConversationID", 65, "Result.ConversationID"],
    ["ResultDesc", 1025, "Result.ResultDesc"],
  ])("refuses a queue timeout whose %s is over its limit", (key, length, field) => {
    expect(parseB2cQueueTimeout({ Result: { [key]: long(length) } })).toMatchObject({
      ok: false,
      error: { type: "not_b2c_queue_timeout", field },
    });
    expect(parseB2cQueueTimeout({ [key]: long(length) })).toMatchObject({
      ok: false,
      error: { type: "not_b2c_queue_timeout", field: key },
    });
  });
});
