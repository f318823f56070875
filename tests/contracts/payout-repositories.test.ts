import { expect, it } from "vitest";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import type { Repositories, UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import { Payout } from "../../src/domain/payout.ts";
import type { PayoutConfig } from "../../src/domain/payout-config.ts";
import { PayoutLimits } from "../../src/domain/payout-limits.ts";
import { sealedSecret } from "../../src/domain/sealed-secret.ts";
import { anId, aPayout, aPayoutConfig, T0, unwrap } from "../support/builders.ts";
import { describeContract, seedOwner } from "./harness.ts";

/** A user, their business and its active payout config, stored. */
async function seedPayer(uow: UnitOfWork, options: { ownApp?: boolean } = {}) {
  const { user, business } = await seedOwner(uow);
  const config = aPayoutConfig(business.id, { ownApp: options.ownApp ?? false });
  await uow.run((r) => r.payoutConfigs.add(config));
  return { user, business, config };
}

const payoutOf = (seeded: { user: { id: string }; business: { id: string }; config: PayoutConfig }) =>
  aPayout(seeded.business.id, seeded.user.id, { payoutConfigId: seeded.config.id });

const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

describeContract("PayoutConfigRepository", ({ uow }) => {
  it("stores a config with its sealed password and own Daraja app, and reads it back whole", async () => {
    const { config, business } = await seedPayer(uow(), { ownApp: true });
    expect((await uow().run((r) => r.payoutConfigs.findById(config.id)))?.snapshot()).toEqual(
      config.snapshot(),
    );
    expect((await uow().run((r) => r.payoutConfigs.findActiveByBusiness(business.id)))?.snapshot()).toEqual(
      config.snapshot(),
    );
  });

  it("keeps at most one active config per business; the old one stays, inactive", async () => {
    const { config: old, business } = await seedPayer(uow());
    const replacement = aPayoutConfig(business.id, { shortcode: "600997" });
    await expect(uow().run((r) => r.payoutConfigs.add(replacement))).rejects.toBeInstanceOf(UniqueViolation);
    await uow().run(async (r) => {
      old.deactivate();
      await r.payoutConfigs.update(old);
      await r.payoutConfigs.add(replacement);
    });
    expect((await uow().run((r) => r.payoutConfigs.findActiveByBusiness(business.id)))?.id).toBe(
      replacement.id,
    );
    expect((await uow().run((r) => r.payoutConfigs.findById(old.id)))?.active).toBe(false);
  });

  it("saves limits and the active flag on update, and never puts back secrets a rotation re-sealed", async () => {
    const { config, business } = await seedPayer(uow(), { ownApp: true });
    expect([config.limits.daily, config.limits.perPayout]).toEqual([100_000, 70_000]);
    await uow().run((r) =>
      r.payoutConfigs.replaceSecrets(
        config.id,
        sealedSecret("v2.resealed-password"),
        sealedSecret("v2.resealed-consumer-secret"),
      ),
    );
    // `config` still carries the secrets as they were before the rotation.
    config.changeLimits({
      daily: unwrap(PayoutLimits.parseDaily(12_345)),
      perPayout: unwrap(PayoutLimits.parsePerPayout(678)),
    });
    await uow().run(async (r) => {
      const locked = await r.payoutConfigs.findActiveByBusiness(business.id, { lock: true });
      expect(locked?.id).toBe(config.id);
      await r.payoutConfigs.update(config);
    });
    const saved = await uow().run((r) => r.payoutConfigs.findById(config.id));
    expect([saved?.limits.daily, saved?.limits.perPayout]).toEqual([12_345, 678]);
    expect([saved?.initiatorPassword, saved?.ownApp?.consumerSecret]).toEqual([
      "v2.resealed-password",
      "v2.resealed-consumer-secret",
    ]);
  });

  it("finds no active config for a business without one", async () => {
    const { business } = await seedOwner(uow());
    expect(await uow().run((r) => r.payoutConfigs.findActiveByBusiness(business.id))).toBeNull();
    expect(await uow().run((r) => r.payoutConfigs.findById(anId()))).toBeNull();
  });
});

describeContract("PayoutRepository", ({ uow }) => {
  it("stores a payout and finds it by id, callback token hash and OriginatorConversationID", async () => {
    const payout = payoutOf(await seedPayer(uow()));
    await uow().run((r) => r.payouts.add(payout));
    expect((await uow().run((r) => r.payouts.findById(payout.id)))?.snapshot()).toEqual(payout.snapshot());
    expect((await uow().run((r) => r.payouts.findByCallbackTokenHash(payout.callbackTokenHash)))?.id).toBe(
      payout.id,
    );
    expect(
      (
        await uow().run((r) =>
          r.payouts.findByOriginatorConversationId(payout.originatorConversationId, { lock: true }),
        )
      )?.id,
    ).toBe(payout.id);
  });

  it("saves acceptance, the queue timeout, status queries and completion", async () => {
    const payout = payoutOf(await seedPayer(uow()));
    await uow().run((r) => r.payouts.add(payout));
    unwrap(payout.recordAcceptance("AG_20260301_0000001"));
    unwrap(payout.recordQueueTimeout(seconds(30)));
    unwrap(payout.recordStatusQuery(`status-${payout.id}`, seconds(40)));
    await uow().run((r) => r.payouts.update(payout));
    expect((await uow().run((r) => r.payouts.findById(payout.id)))?.snapshot()).toEqual(payout.snapshot());
    expect(
      (await uow().run((r) => r.payouts.findByStatusTokenHash(`status-${payout.id}`, { lock: true })))?.id,
    ).toBe(payout.id);

    unwrap(
      payout.complete({ receipt: `U${payout.id.slice(-9)}`, recipientName: "254712345678 - JANE", at: T0 }),
    );
    await uow().run((r) => r.payouts.update(payout));
    const saved = await uow().run((r) => r.payouts.findById(payout.id));
    expect(saved?.snapshot()).toEqual(payout.snapshot());
    expect([saved?.statusQueries, saved?.queueTimedOutAt]).toEqual([1, seconds(30)]);
  });

  it("keeps what Daraja answered to the request, and a payout completed after PayMe recorded it refused", async () => {
    const payout = payoutOf(await seedPayer(uow()));
    await uow().run((r) => r.payouts.add(payout));
    expect((await uow().run((r) => r.payouts.findById(payout.id)))?.pushOutcome).toBe("unknown");
    unwrap(payout.markRequestRefused("M-Pesa refused the phone number.", T0));
    await uow().run((r) => r.payouts.update(payout));
    const refused = await uow().run((r) => r.payouts.findById(payout.id));
    expect([refused?.status, refused?.pushOutcome, refused?.failedLocally]).toEqual([
      "failed",
      "refused",
      true,
    ]);

    expect(unwrap(payout.complete({ receipt: `V${payout.id.slice(-9)}`, recipientName: null, at: T0 }))).toBe(
      "completed",
    );
    await uow().run((r) => r.payouts.update(payout));
    const saved = await uow().run((r) => r.payouts.findById(payout.id));
    expect(saved?.snapshot()).toEqual(payout.snapshot());
    expect([saved?.status, saved?.needsAttention]).toEqual(["completed", true]);
  });

  it("lists a business's payouts newest first, by status and creation time, a page at a time", async () => {
    const seeded = await seedPayer(uow());
    const make = (createdAt: Date, status: "pending" | "completed" | "failed") => {
      const payout = aPayout(seeded.business.id, seeded.user.id, {
        payoutConfigId: seeded.config.id,
        createdAt,
      });
      if (status === "completed") {
        unwrap(payout.complete({ receipt: `L${payout.id.slice(-9)}`, recipientName: null, at: createdAt }));
      } else if (status === "failed") {
        unwrap(payout.fail({ resultCode: "1", at: createdAt }));
      }
      return payout;
    };
    const [a, b, c] = [
      make(seconds(0), "completed"),
      make(seconds(10), "failed"),
      make(seconds(20), "pending"),
    ];
    const others = await seedPayer(uow());
    const foreign = aPayout(others.business.id, others.user.id, { payoutConfigId: others.config.id });
    await uow().run(async (r) => {
      for (const payout of [a, b, c, foreign]) {
        await r.payouts.add(payout);
      }
    });
    const ids = async (filter: Parameters<Repositories["payouts"]["listByBusiness"]>[1], limit = 50) =>
      (
        await uow().run((r) => r.payouts.listByBusiness(seeded.business.id, filter, { limit, cursor: null }))
      ).items.map((p) => p.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ status: "failed" })).toEqual([b.id]);
    expect(await ids({ createdFrom: seconds(10) })).toEqual([c.id, b.id]);
    expect(await ids({ createdBefore: seconds(10) })).toEqual([a.id]);
    expect(await ids({ createdFrom: seconds(0), createdBefore: seconds(20), status: "completed" })).toEqual([
      a.id,
    ]);
    const first = await uow().run((r) =>
      r.payouts.listByBusiness(seeded.business.id, {}, { limit: 2, cursor: null }),
    );
    expect([first.items.map((p) => p.id), first.nextCursor]).toEqual([[c.id, b.id], b.id]);
    const rest = await uow().run((r) =>
      r.payouts.listByBusiness(seeded.business.id, {}, { limit: 2, cursor: first.nextCursor }),
    );
    expect([rest.items.map((p) => p.id), rest.nextCursor]).toEqual([[a.id], null]);
  });

  it("sums a business's pending and completed payouts from a time on: not failed ones, earlier ones or others'", async () => {
    const seeded = await seedPayer(uow());
    const payout = (amount: number, createdAt: Date) =>
      aPayout(seeded.business.id, seeded.user.id, { payoutConfigId: seeded.config.id, amount, createdAt });
    const before = payout(1_000, seconds(-1));
    const atStart = payout(200, seconds(0));
    const completed = payout(30, seconds(5));
    unwrap(
      completed.complete({ receipt: `S${completed.id.slice(-9)}`, recipientName: null, at: seconds(6) }),
    );
    const failed = payout(4_000, seconds(7));
    unwrap(failed.fail({ resultCode: "2001", at: seconds(8) }));
    const others = await seedPayer(uow());
    const foreign = aPayout(others.business.id, others.user.id, {
      payoutConfigId: others.config.id,
      amount: 50_000,
      createdAt: seconds(3),
    });
    await uow().run(async (r) => {
      for (const p of [before, atStart, completed, failed, foreign]) {
        await r.payouts.add(p);
      }
    });
    expect(
      await uow().run((r) => r.payouts.sumPendingAndCompletedSince(seeded.business.id, seconds(0))),
    ).toBe(230);
    expect(
      await uow().run((r) => r.payouts.sumPendingAndCompletedSince(seeded.business.id, seconds(-10))),
    ).toBe(1_230);
    expect(
      await uow().run((r) => r.payouts.sumPendingAndCompletedSince(seeded.business.id, seconds(60))),
    ).toBe(0);
  });

  it("never sends two payouts with one OriginatorConversationID", async () => {
    const seeded = await seedPayer(uow());
    const first = payoutOf(seeded);
    await uow().run((r) => r.payouts.add(first));
    const twin = Payout.restore({
      ...payoutOf(seeded).snapshot(),
      originatorConversationId: first.originatorConversationId,
    });
    await expect(uow().run((r) => r.payouts.add(twin))).rejects.toBeInstanceOf(UniqueViolation);
  });

  it("claims the pending payouts due a status query, oldest first, and no others", async () => {
    const seeded = await seedPayer(uow());
    // Far in the future, so that other tests' payouts in the same database are never due.
    const base = new Date("2040-01-01T00:00:00Z");
    const at = (s: number) => new Date(base.getTime() + s * 1000);
    const make = (createdAt: Date) =>
      aPayout(seeded.business.id, seeded.user.id, { payoutConfigId: seeded.config.id, createdAt });
    const old = make(at(0));
    const older = make(at(-10));
    const recent = make(at(100));
    const recentTimedOut = make(at(110));
    unwrap(recentTimedOut.recordQueueTimeout(at(115)));
    const askedLately = make(at(1));
    unwrap(askedLately.recordStatusQuery(`asked-${askedLately.id}`, at(95)));
    const askedLongAgo = make(at(2));
    unwrap(askedLongAgo.recordStatusQuery(`asked-${askedLongAgo.id}`, at(10)));
    const completed = make(at(3));
    unwrap(completed.complete({ receipt: `C${completed.id.slice(-9)}`, recipientName: null, at: at(4) }));
    const givenUp = make(at(-5000));
    const payouts = [old, older, recent, recentTimedOut, askedLately, askedLongAgo, completed, givenUp];
    await uow().run(async (r) => {
      for (const payout of payouts) {
        await r.payouts.add(payout);
      }
    });
    const criteria = { createdBefore: at(60), createdAfter: at(-3600), queriedBefore: at(60), limit: 10 };
    const claimed = await uow().run((r) => r.payouts.claimForStatusQuery(criteria));
    const ours = new Set(payouts.map((p) => p.id));
    expect(claimed.filter((p) => ours.has(p.id)).map((p) => p.id)).toEqual([
      older.id,
      old.id,
      askedLongAgo.id,
      recentTimedOut.id,
    ]);
    const limited = await uow().run((r) => r.payouts.claimForStatusQuery({ ...criteria, limit: 2 }));
    expect(limited.map((p) => p.id)).toEqual([older.id, old.id]);
  });
});

describeContract("PayoutEventRepository", ({ uow }) => {
  it("appends a payout's events and lists them oldest first, details intact", async () => {
    const payout = payoutOf(await seedPayer(uow()));
    const other = payoutOf(await seedPayer(uow()));
    await uow().run(async (r) => {
      await r.payouts.add(payout);
      await r.payouts.add(other);
    });
    const sent = {
      id: anId(),
      payoutId: payout.id,
      at: seconds(2),
      type: "sent" as const,
      detail: { conversationId: "AG_20260301_0000001" },
    };
    const requested = {
      id: anId(),
      payoutId: payout.id,
      at: seconds(1),
      type: "requested" as const,
      detail: { amount: 500, phone: "254712345678", remarks: null },
    };
    await uow().run(async (r) => {
      await r.payoutEvents.append(sent);
      await r.payoutEvents.append(requested);
      await r.payoutEvents.append({ ...sent, id: anId(), payoutId: other.id });
    });
    expect(await uow().run((r) => r.payoutEvents.listByPayout(payout.id))).toEqual([requested, sent]);
  });
});
