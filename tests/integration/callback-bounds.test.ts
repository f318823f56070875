import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { payMeSuite } from "../support/payme-server.ts";
import { jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { testDatabaseKinds } from "../support/test-database.ts";

/** Random text: unlike "xxx…", PostgreSQL cannot compress it below its index row limit. */
const randomText = (length: number) => randomBytes(length).toString("base64url").slice(0, length);

const stkCallback = (fields: Record<string, unknown>, items: { Name: string; Value: unknown }[] = []) => ({
  Body: {
    stkCallback: {
      MerchantRequestID: "29115-34620561-1",
      CheckoutRequestID: "ws_CO_16112025183706196790370094",
      ResultCode: 1032,
      ResultDesc: "Request cancelled by user",
      ...(items.length === 0 ? {} : { CallbackMetadata: { Item: items } }),
      ...fields,
    },
  },
});

const b2cResult = (fields: Record<string, unknown>, parameters: { Key: string; Value: unknown }[] = []) => ({
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

describe.each(testDatabaseKinds())("callbacks that could never be stored, on %s", (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), "payme-bounds-"));
  // The simulator never calls back by itself here: every callback is the test's own.
  const suite = payMeSuite({ delayMs: 600_000, database: kind, env: { DATA_DIR: dataDir } });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const post = (path: string, body: unknown) =>
    suite.payme.app.request(path, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
  const spooled = () => {
    try {
      return readdirSync(join(dataDir, "spool")).filter((name) => name.endsWith(".json"));
    } catch {
      return [];
    }
  };
  const auditRowsWith = async (checkoutRequestId: string) =>
    (await suite.database.orm.em
      .fork()
      .getConnection()
      .execute("select path from mpesa_callbacks where checkout_request_id = ?", [checkoutRequestId])) as {
      path: string;
    }[];

  const expectRefused = async (response: Response, field: string) => {
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(problem).toMatchObject({ code: "validation_failed", errors: [{ path: field }] });
    expect(problem.errors[0]?.message).toMatch(/must be at most \d+ characters/);
  };

  it("a 3,000-character CheckoutRequestID gets 400 on every STK path, and nothing is spooled", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    const initiated = await suite.payme.app.request(
      "/api/wallet-payment/initiate",
      jsonRequest("POST", { phone: "0712345678", amount: 60 }, user.token),
    );
    const { purchase } = (await initiated.json()) as { purchase: { id: string; checkoutRequestId: string } };
    const callbackUrl = suite.simulator.checkout(purchase.checkoutRequestId)?.callbackUrl ?? "";
    const trustedPath = new URL(callbackUrl).pathname;
    const huge = randomText(3000);

    for (const path of ["/api/mpesa/callback", trustedPath, "/api/mpesa/callback/unknown-token"]) {
      await expectRefused(
        await post(path, stkCallback({ CheckoutRequestID: huge })),
        "Body.stkCallback.CheckoutRequestID",
      );
    }
    expect(spooled()).toEqual([]);
    // The trusted payment did not take the forged id.
    const after = await suite.payme.app.request(`/api/wallet-payment/${purchase.id}`, {
      headers: { Authorization: `Bearer ${user.token}` },
    });
    expect(((await after.json()) as { purchase: unknown }).purchase).toMatchObject({
      status: "pending",
      checkoutRequestId: purchase.checkoutRequestId,
    });
  });

  it.each([
    [
      "MerchantRequestID",
      stkCallback({ MerchantRequestID: randomText(65) }),
      "Body.stkCallback.MerchantRequestID",
    ],
    ["ResultCode", stkCallback({ ResultCode: randomText(33) }), "Body.stkCallback.ResultCode"],
    ["ResultDesc", stkCallback({ ResultDesc: randomText(1025) }), "Body.stkCallback.ResultDesc"],
    [
      "MpesaReceiptNumber",
      stkCallback({ ResultCode: 0 }, [{ Name: "MpesaReceiptNumber", Value: randomText(3000) }]),
      "Body.stkCallback.CallbackMetadata.Item.MpesaReceiptNumber",
    ],
  ])("an STK callback with an over-long %s gets 400", async (_field, body, path) => {
    await expectRefused(await post("/api/mpesa/callback", body), path);
    expect(spooled()).toEqual([]);
  });

  it.each([
    [
      "/api/mpesa/b2c/result/t0ken",
      b2cResult({ OriginatorConversationID: randomText(3000) }),
      "Result.OriginatorConversationID",
    ],
    ["/api/mpesa/b2c/result/t0ken", b2cResult({ ConversationID: randomText(65) }), "Result.ConversationID"],
    ["/api/mpesa/b2c/result/t0ken", b2cResult({ TransactionID: randomText(65) }), "Result.TransactionID"],
    ["/api/mpesa/b2c/result/t0ken", b2cResult({ ResultDesc: randomText(1025) }), "Result.ResultDesc"],
    [
      "/api/mpesa/b2c/result/t0ken",
      b2cResult({}, [{ Key: "TransactionReceipt", Value: randomText(3000) }]),
      "Result.ResultParameters.ResultParameter.TransactionReceipt",
    ],
    [
      "/api/mpesa/b2c/result/t0ken",
      b2cResult({}, [{ Key: "ReceiverPartyPublicName", Value: randomText(257) }]),
      "Result.ResultParameters.ResultParameter.ReceiverPartyPublicName",
    ],
    [
      "/api/mpesa/status/result/t0ken",
      b2cResult({}, [{ Key: "OriginatorConversationID", Value: randomText(3000) }]),
      "Result.ResultParameters.ResultParameter.OriginatorConversationID",
    ],
    [
      "/api/mpesa/status/result/t0ken",
      b2cResult({}, [{ Key: "ReceiptNo", Value: randomText(65) }]),
      "Result.ResultParameters.ResultParameter.ReceiptNo",
    ],
    [
      "/api/mpesa/b2c/timeout/t0ken",
      { Result: { OriginatorConversationID: randomText(3000) } },
      "Result.OriginatorConversationID",
    ],
    ["/api/mpesa/status/timeout/t0ken", { ConversationID: randomText(65) }, "ConversationID"],
  ])("%s refuses an over-long field with 400 (%#)", async (path, body, field) => {
    await expectRefused(await post(path, body), field);
    expect(spooled()).toEqual([]);
  });

  it("takes and stores ids of exactly 64 characters", async () => {
    const id = randomText(64);
    const response = await post(
      "/api/mpesa/callback",
      stkCallback({ CheckoutRequestID: id, MerchantRequestID: id }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    expect(await auditRowsWith(id)).toEqual([{ path: "/api/mpesa/callback" }]);
    const result = await post(
      "/api/mpesa/b2c/result/t0ken",
      b2cResult({ OriginatorConversationID: id, ConversationID: id }),
    );
    expect(result.status).toBe(200);
    expect(spooled()).toEqual([]);
  });
});
