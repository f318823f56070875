import { describe, expect, it } from "vitest";
import { PayoutConfig } from "../../../src/domain/payout-config.ts";
import { sealedSecret } from "../../../src/domain/sealed-secret.ts";
import { aPayout, T0, unwrap } from "../../support/builders.ts";

describe("PayoutConfig", () => {
  it("checks every setup field at once, and wants a consumer key and secret together", () => {
    const result = PayoutConfig.checkSetup({
      shortcode: "12",
      initiatorName: "  ",
      initiatorPassword: "x".repeat(129),
      consumerSecret: "s",
    });
    expect(!result.ok && result.error.errors.map((e) => e.path).sort()).toEqual([
      "consumerKey",
      "initiatorName",
      "initiatorPassword",
      "shortcode",
    ]);
    const fine = unwrap(
      PayoutConfig.checkSetup({ shortcode: 600996, initiatorName: " testapi ", initiatorPassword: " p w " }),
    );
    expect(fine).toMatchObject({ initiatorName: "testapi", initiatorPassword: " p w ", ownApp: null });
    expect(fine.shortcode.value).toBe("600996");
  });

  it("starts active and is deactivated when replaced", () => {
    const config = unwrap(
      PayoutConfig.create({
        id: "pc",
        businessId: "b",
        shortcode: "600996",
        initiatorName: "testapi",
        initiatorPassword: sealedSecret("sealed"),
        ownApp: null,
        createdAt: T0,
      }),
    );
    expect(config.active).toBe(true);
    config.deactivate();
    expect(config.active).toBe(false);
  });
});

describe("Payout timeouts and status queries", () => {
  const at = new Date(T0.getTime() + 60_000);

  it("records the first queue timeout and each status query while pending", () => {
    const payout = aPayout("b", "u");
    unwrap(payout.recordQueueTimeout(at));
    unwrap(payout.recordQueueTimeout(new Date(at.getTime() + 1000)));
    expect(payout.queueTimedOutAt).toEqual(at);
    unwrap(payout.recordStatusQuery("h1", at));
    unwrap(payout.recordStatusQuery("h2", new Date(at.getTime() + 5000)));
    expect([payout.statusTokenHash, payout.statusQueries, payout.status]).toEqual(["h2", 2, "pending"]);
  });

  it("refuses both once the payout is final", () => {
    const payout = aPayout("b", "u");
    unwrap(payout.complete({ receipt: "UAB1234567", recipientName: null, at }));
    expect(payout.recordQueueTimeout(at).ok).toBe(false);
    expect(payout.recordStatusQuery("h", at).ok).toBe(false);
    expect(payout.statusQueries).toBe(0);
  });
});
