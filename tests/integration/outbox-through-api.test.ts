import { describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import type { OutboxEvent } from "../../src/application/ports/outbox-repository.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { eventually, payMeSuite, verifiedConfig } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { testDatabaseKinds } from "../support/test-database.ts";

type Json = Record<string, unknown>;

/**
 * The outbox as a business sees its payments through the API: each event carries the resource exactly as the API
 * shows it after the change, and a repeated delivery adds nothing.
 */
describe.each(testDatabaseKinds())("events through PayMe and the simulator, on %s", (database) => {
  const suite = payMeSuite({ delayMs: 30, database });

  const eventsOf = (businessId: string): Promise<OutboxEvent[]> =>
    resolve(suite.payme.container, PORTS.unitOfWork).run((r) => r.outbox.listForBusiness(businessId));
  const get = async (path: string, token: string) =>
    (await (await suite.payme.app.request(path, bearer(token))).json()) as Json;
  const auditOf = (ref: string) =>
    resolve(suite.payme.container, PORTS.unitOfWork).run((r) => r.callbackAudit.listByPayment(ref));

  it("a sale paid with its callback delivered three times: one sale.paid, after the config's one verification", async () => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName: "Duka" });
    await verifiedConfig(suite.payme, owner.token, {
      paymentMethod: "paybill",
      shortcode: "600111",
      passkey: "pk-1",
      accountReference: "DUKA1",
      accountName: "Duka One",
    });
    const response = await suite.payme.app.request(
      "/api/sales/payment",
      jsonRequest(
        "POST",
        { businessId: owner.businessId, phone: SIMULATOR_PHONES.duplicateCallbacks, amount: 250 },
        owner.token,
      ),
    );
    expect(response.status).toBe(202);
    const { sale } = (await response.json()) as { sale: { id: string } };
    await eventually(async () => ((await auditOf(`sale:${sale.id}`)).length === 3 ? true : undefined));

    const events = await eventsOf(owner.businessId);
    expect(events.map((e) => e.type)).toEqual(["payment_config.verified", "sale.paid"]);
    const [verified, paid] = events;
    const { config } = (await get(`/api/payment-config?businessId=${owner.businessId}`, owner.token)) as {
      config: Json;
    };
    expect(verified?.data.object).toEqual(config);
    expect(paid?.data.object).toEqual((await get(`/api/sales/${sale.id}`, owner.token)).sale);
    expect(paid).toMatchObject({ businessId: owner.businessId, type: "sale.paid" });
  });

  it("payouts record payout.completed and payout.failed, with the payout as the API shows it", async () => {
    const user = await signUpThroughApi(suite.payme.app, { businessName: "Duka La Mama" });
    const setup = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest(
        "POST",
        {
          shortcode: "600996",
          initiatorName: SANDBOX_INITIATOR_NAME,
          initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
        },
        user.token,
      ),
    );
    expect(setup.status).toBe(201);
    const payOut = async (phone: string) => {
      const response = await suite.payme.app.request(
        "/api/payouts",
        jsonRequest(
          "POST",
          { businessId: user.businessId, phone, amount: 1500, remarks: "Supplier" },
          user.token,
        ),
      );
      expect(response.status).toBe(202);
      const { payout } = (await response.json()) as { payout: { id: string } };
      return eventually(async () => {
        const { payout: current } = (await get(`/api/payouts/${payout.id}`, user.token)) as {
          payout: { id: string; status: string } & Json;
        };
        return current.status === "pending" ? undefined : current;
      });
    };
    const completed = await payOut(SIMULATOR_PHONES.duplicateCallbacks);
    const failed = await payOut(SIMULATOR_PHONES.unregisteredRecipient);
    expect(completed).toMatchObject({ status: "completed" });
    expect(failed).toMatchObject({ status: "failed" });
    // The completed payout's result is delivered twice: the second changes nothing and records nothing.
    await eventually(async () => ((await auditOf(`payout:${completed.id}`)).length === 2 ? true : undefined));

    const events = await eventsOf(user.businessId);
    expect(events.map((e) => [e.type, (e.data.object as { id: string }).id])).toEqual([
      ["payout.completed", completed.id],
      ["payout.failed", failed.id],
    ]);
    expect(events.map((e) => e.data.object)).toEqual([completed, failed]);
  });
});
