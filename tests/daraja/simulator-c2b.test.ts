import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDarajaSimulator } from "../../src/adapters/daraja-simulator/create-daraja-simulator.ts";
import type {
  DarajaSimulator,
  ListeningSimulator,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { type CallbackReceiver, startCallbackReceiver } from "./callback-receiver.ts";

/** The simulator's C2B APIs over raw HTTP, as a third-party Daraja client would use them. */
describe("the simulator's C2B APIs", () => {
  let simulator: DarajaSimulator;
  let server: ListeningSimulator;
  let receiver: CallbackReceiver;
  let rejecting: { url: string; close: () => void };

  beforeAll(async () => {
    simulator = createDarajaSimulator({
      delayMs: 10,
      c2bValidationShortcodes: ["600002", "600003", "600004"],
    });
    server = await simulator.listen(0);
    receiver = await startCallbackReceiver();
    const refuser = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ResultCode: "C2B00012", ResultDesc: "Rejected" }));
    });
    await new Promise<void>((resolve) => refuser.listen(0, "127.0.0.1", resolve));
    rejecting = {
      url: `http://127.0.0.1:${(refuser.address() as AddressInfo).port}`,
      close: () => refuser.close(),
    };
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
    rejecting.close();
  });

  const token = async () => {
    const answer = await request(`${server.url}/oauth/v1/generate?grant_type=client_credentials`, {
      headers: { authorization: `Basic ${Buffer.from("k:s").toString("base64")}` },
    });
    return ((await answer.body.json()) as { access_token: string }).access_token;
  };
  const call = async (path: string, body: unknown) => {
    const answer = await request(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` },
      body: JSON.stringify(body),
    });
    return { status: answer.statusCode, json: (await answer.body.json()) as Record<string, unknown> };
  };
  const register = (
    shortcode: string,
    confirmation: string,
    validation: string,
    version = "v2",
    responseType = "Completed",
  ) =>
    call(`/mpesa/c2b/${version}/registerurl`, {
      ShortCode: shortcode,
      ResponseType: responseType,
      ConfirmationURL: confirmation,
      ValidationURL: validation,
    });
  const pay = (shortcode: string, msisdn: string, version = "v2") =>
    call(`/mpesa/c2b/${version}/simulate`, {
      ShortCode: shortcode,
      CommandID: "CustomerPayBillOnline",
      Amount: 250,
      Msisdn: msisdn,
      BillRefNumber: "INV-1",
    });

  it("registers at v1 and v2 as Daraja answers, refuses screened words, and refuses a second registration", async () => {
    const first = await register("600001", `${receiver.url}/c/1`, `${receiver.url}/v/1`, "v1");
    expect(first).toMatchObject({ status: 200, json: { ResponseCode: "0", ResponseDescription: "Success" } });
    expect(first.json.OriginatorCoversationID).toEqual(expect.any(String));
    const again = await register("600001", `${receiver.url}/c/2`, `${receiver.url}/v/2`);
    expect(again).toMatchObject({
      status: 500,
      json: { errorCode: "500.003.1001", errorMessage: "Urls are already registered." },
    });
    const screened = await register("600009", "https://shop.example/mpesa/confirm", `${receiver.url}/v/9`);
    expect(screened).toMatchObject({ status: 400, json: { errorCode: "400.002.02" } });
    const misspelt = await register(
      "600010",
      `${receiver.url}/c/10`,
      `${receiver.url}/v/10`,
      "v2",
      "completed",
    );
    expect(misspelt.status).toBe(400);
  });

  it("confirms a payment: v1 with the number hashed, v2 masked; the simulated payments can be pulled", async () => {
    await register("600005", `${receiver.url}/c5`, `${receiver.url}/v5`);
    expect((await pay("600005", "254708374149", "v1")).json).toMatchObject({ ResponseCode: "0" });
    expect((await pay("600005", "254708374149", "v2")).status).toBe(200);
    const confirmations = await receiver.waitFor("/c5", 2);
    const phones = confirmations.map((c) => (c.body as { MSISDN: string }).MSISDN).sort();
    expect(phones).toEqual(
      [createHash("sha256").update("254708374149").digest("hex"), "2547 ***** 149"].sort(),
    );
    expect(confirmations[0]?.body).toMatchObject({
      TransAmount: "250.00",
      BillRefNumber: "INV-1",
      BusinessShortCode: "600005",
    });
    // Each payment moves the shortcode's simulated balance, which the confirmation carries after it.
    const balances = confirmations.map((c) => (c.body as { OrgAccountBalance: string }).OrgAccountBalance);
    expect(balances.sort()).toEqual(["250.00", "500.00"]);
    const pulled = await call("/pulltransactions/v1/query", {
      ShortCode: "600005",
      StartDate: "2020-01-01 00:00:00",
      EndDate: "2099-01-01 00:00:00",
      OffSetValue: "0",
    });
    expect(pulled.json.ResponseCode).toBe("1000");
    expect((pulled.json.Response as unknown[][])[0]).toHaveLength(2);
  });

  it("asks the validation URL first where validation is on, and honours its answer or the ResponseType", async () => {
    // Accepted by the validation URL: confirmed.
    await register("600002", `${receiver.url}/c2`, `${receiver.url}/v2`);
    await pay("600002", "254712345678");
    await receiver.waitFor("/c2", 1);
    expect(receiver.received("/v2")).toHaveLength(1);
    expect(receiver.received("/v2")[0]?.body).toMatchObject({ OrgAccountBalance: "" });
    // Rejected: never confirmed.
    await register("600003", `${receiver.url}/c3`, `${rejecting.url}/v3`);
    await pay("600003", "254712345678");
    // No answer (nothing listens there) with ResponseType Cancelled: never confirmed either.
    await register("600004", `${receiver.url}/c4`, "http://127.0.0.1:9/v4", "v2", "Cancelled");
    await pay("600004", "254712345678");
    await simulator.whenIdle();
    expect(receiver.received("/c3")).toHaveLength(0);
    expect(receiver.received("/c4")).toHaveLength(0);
  });
});
