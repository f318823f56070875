import { describe, expect, it } from "vitest";
import { jsonRequest, testApp } from "../support/test-app.ts";

const TIMEOUT = {
  Result: {
    ResultType: 1,
    ResultCode: "SFC_IC0003",
    ResultDesc: "Operator does not exist",
    OriginatorConversationID: "oc-1",
    ConversationID: "AG_1",
  },
};

/** The log lines a callback's receiver wrote, parsed. */
const received = (lines: string[], message: string) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === message);

describe("the token callbacks' answers and log lines", () => {
  it("logs an unknown token on a status path as the payout receiver did, and one on a balance path as a look-up's", async () => {
    const { app, logLines } = testApp();
    const status = await app.request("/api/mpesa/status/timeout/no-such-token", jsonRequest("POST", TIMEOUT));
    expect(status.status).toBe(200);
    expect(received(logLines(), "payout callback received")).toMatchObject([
      { kind: "status_timeout", trusted: false, disposition: "unknown_payment", paymentRef: null },
    ]);
    expect(received(logLines(), "look-up callback received")).toEqual([]);

    const balance = await app.request(
      "/api/mpesa/balance/timeout/no-such-token",
      jsonRequest("POST", TIMEOUT),
    );
    expect(balance.status).toBe(200);
    expect(received(logLines(), "look-up callback received")).toMatchObject([
      { kind: "balance_timeout", queryId: null, disposition: "unknown_payment" },
    ]);
  });

  it("answers a body that is no callback 400 with its path's title, before anything is stored", async () => {
    const { app, logLines } = testApp();
    for (const [path, title] of [
      ["/api/mpesa/status/result/t", "Not a B2C or Transaction Status callback"],
      ["/api/mpesa/b2c/result/t", "Not a B2C or Transaction Status callback"],
      ["/api/mpesa/reversal/result/t", "Not a Reversal callback"],
      ["/api/mpesa/balance/result/t", "Not an Account Balance callback"],
    ] as const) {
      const response = await app.request(path, jsonRequest("POST", { Result: { ResultCode: [] } }));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "validation_failed", title });
    }
    expect(logLines().filter((line) => line.includes("callback received"))).toEqual([]);
  });
});
