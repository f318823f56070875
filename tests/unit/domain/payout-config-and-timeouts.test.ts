import { describe, expect, it } from "vitest";
import { InitiatorName } from "../../../src/domain/initiator-name.ts";
import { PayoutConfig } from "../../../src/domain/payout-config.ts";
import { sealedSecret } from "../../../src/domain/sealed-secret.ts";
import { aPayout, aShortcode, T0, unwrap } from "../../support/builders.ts";

describe("PayoutConfig", () => {
  it("wants a consumer key and secret together, and trims the key", () => {
    expect(unwrap(PayoutConfig.pairOwnApp(null, null))).toBeNull();
    expect(unwrap(PayoutConfig.pairOwnApp(" ck ", " cs "))).toEqual({
      consumerKey: "ck",
      consumerSecret: " cs ",
    });
    const keyOnly = PayoutConfig.pairOwnApp("ck", null);
    expect(!keyOnly.ok && keyOnly.error.errors).toEqual([
      { path: "consumerSecret", message: "is required with consumerKey" },
    ]);
    const secretOnly = PayoutConfig.pairOwnApp(null, "cs");
    expect(!secretOnly.ok && secretOnly.error.errors).toEqual([
      { path: "consumerKey", message: "is required with consumerSecret" },
    ]);
  });

  it("starts active and is deactivated when replaced", () => {
    const config = unwrap(
      PayoutConfig.create({
        id: "pc",
        businessId: "b",
        shortcode: aShortcode("600996"),
        initiatorName: unwrap(InitiatorName.parse("testapi")),
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
