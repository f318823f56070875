import { describe, expect, it } from "vitest";
import { PORTS, resolve, SERVICES } from "../../src/main/tokens.ts";
import { anId } from "../support/builders.ts";
import { payMeSuite } from "../support/payme-server.ts";
import { testDatabaseKinds } from "../support/test-database.ts";

const DAY = 86_400_000;

describe.each(testDatabaseKinds())("callback audit records, on %s", (kind) => {
  const suite = payMeSuite({ delayMs: 600_000, database: kind, env: { CALLBACK_AUDIT_DAYS: "30" } });

  it("are purged by the reconciler once older than CALLBACK_AUDIT_DAYS", async () => {
    const { container } = suite.payme;
    const uow = resolve(container, PORTS.unitOfWork);
    const paymentRef = `wallet_purchase:${anId()}`;
    const record = (daysOld: number) => ({
      id: anId(),
      receivedAt: new Date(Date.now() - daysOld * DAY),
      kind: "stk_callback" as const,
      path: "/api/mpesa/callback/[token]",
      trusted: true,
      checkoutRequestId: `ws_CO_${anId()}`,
      paymentRef,
      disposition: "applied" as const,
      body: {},
    });
    const [old, older, recent] = [record(31), record(400), record(29)];
    await uow.run(async (r) => {
      for (const each of [old, older, recent]) {
        await r.callbackAudit.record(each);
      }
    });
    await resolve(container, SERVICES.reconciler).runOnce();
    const kept = await uow.run((r) => r.callbackAudit.listByPayment(paymentRef));
    expect(kept.map((each) => each.id)).toEqual([recent.id]);
  });
});
