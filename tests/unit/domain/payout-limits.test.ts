import { describe, expect, it } from "vitest";
import { Kes } from "../../../src/domain/kes.ts";
import { startOfNairobiDay } from "../../../src/domain/nairobi-day.ts";
import { PayoutLimits } from "../../../src/domain/payout-limits.ts";
import { aPayoutConfig, unwrap } from "../../support/builders.ts";

const kes = (amount: number) => unwrap(Kes.forPayout(amount));

describe("PayoutLimits", () => {
  it("defaults to KES 100,000 a day and KES 70,000 a payout", () => {
    const limits = PayoutLimits.defaults();
    expect([limits.daily, limits.perPayout]).toEqual([100_000, 70_000]);
    expect(aPayoutConfig("b").limits.equals(limits)).toBe(true);
  });

  it("refuses a payout over the per-payout limit, and one that takes the day over the daily limit", () => {
    const limits = PayoutLimits.defaults();
    expect(limits.allow(kes(70_000), 0).ok).toBe(true);
    expect(limits.allow(kes(70_001), 0)).toEqual({
      ok: false,
      error: {
        type: "payout_limit_exceeded",
        limit: "per_payout",
        limitAmount: 70_000,
        amount: 70_001,
        usedToday: 0,
      },
    });
    expect(limits.allow(kes(30_000), 70_000).ok).toBe(true);
    expect(limits.allow(kes(30_001), 70_000)).toMatchObject({
      ok: false,
      error: { limit: "daily", limitAmount: 100_000, amount: 30_001, usedToday: 70_000 },
    });
    expect(limits.allow(kes(10), 100_000).ok).toBe(false);
  });

  it("takes limits from 10 shillings up to KES 1,000,000,000 a day and KES 250,000 a payout, whole only", () => {
    const limits = PayoutLimits.defaults();
    const changed = limits.with({
      daily: unwrap(PayoutLimits.parseDaily(1_000_000_000)),
      perPayout: unwrap(PayoutLimits.parsePerPayout(10)),
    });
    expect([changed.daily, changed.perPayout]).toEqual([1_000_000_000, 10]);
    expect(limits.with({ perPayout: unwrap(PayoutLimits.parsePerPayout(250_000)) }).daily).toBe(100_000);
    for (const [daily, perPayout] of [
      [9, 250_001],
      [1_000_000_001, 0],
      [10.5, -10],
      ["5000", null],
      [Number.NaN, Number.POSITIVE_INFINITY],
    ]) {
      const refused = [PayoutLimits.parseDaily(daily), PayoutLimits.parsePerPayout(perPayout)];
      expect(
        refused.flatMap((r) => (r.ok ? [] : r.error.errors.map((e) => e.path))),
        `${daily} ${perPayout}`,
      ).toEqual(["dailyLimit", "perPayoutLimit"]);
    }
  });

  it("changes on the payout config, leaving the other limit as it was", () => {
    const config = aPayoutConfig("b");
    expect(PayoutLimits.parseDaily(5).ok).toBe(false);
    expect(config.limits.daily).toBe(100_000);
    config.changeLimits({ daily: unwrap(PayoutLimits.parseDaily(5_000)) });
    expect([config.limits.daily, config.limits.perPayout]).toEqual([5_000, 70_000]);
    expect(config.snapshot().limits.daily).toBe(5_000);
  });
});

describe("startOfNairobiDay", () => {
  it("is 00:00 EAT (21:00 UTC the day before) of the day an instant falls on in Nairobi", () => {
    for (const [at, midnight] of [
      ["2026-12-04T10:00:00.000+03:00", "2026-12-03T21:00:00.000Z"],
      ["2026-12-04T00:00:00.000+03:00", "2026-12-03T21:00:00.000Z"],
      ["2026-12-03T23:59:59.999+03:00", "2026-12-02T21:00:00.000Z"],
      ["2026-12-03T21:30:00.000Z", "2026-12-03T21:00:00.000Z"],
      ["2026-12-03T20:59:59.999Z", "2026-12-02T21:00:00.000Z"],
      ["1969-12-31T22:00:00.000Z", "1969-12-31T21:00:00.000Z"],
    ] as const) {
      expect(startOfNairobiDay(new Date(at)).toISOString(), at).toBe(midnight);
    }
  });
});
