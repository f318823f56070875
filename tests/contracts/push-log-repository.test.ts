import { expect, it } from "vitest";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { PushRecord } from "../../src/application/ports/push-log-repository.ts";
import { admitPush, type PushAttempt, type PushLimits } from "../../src/application/shared/push-limits.ts";
import { anId, aPhone, T0 } from "../support/builders.ts";
import { describeContract } from "./harness.ts";

const MINUTE = 60_000;

describeContract("PushLogRepository", ({ uow }) => {
  const push = (overrides: Partial<PushRecord> & { createdAt: Date }): PushRecord => ({
    id: anId(),
    kind: "sale",
    userId: anId(),
    businessId: anId(),
    phone: "254712345678",
    ...overrides,
  });

  it("finds the n-th newest push matching a filter within a window, the wallet's being the null business", async () => {
    const [business, user] = [anId(), anId()];
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
    await uow().run(async (r) => {
      await r.pushLog.add(push({ businessId: business, userId: user, createdAt: at(1) }));
      await r.pushLog.add(push({ businessId: business, userId: user, createdAt: at(2) }));
      await r.pushLog.add(push({ businessId: business, phone: "254700111222", createdAt: at(3) }));
      await r.pushLog.add(push({ businessId: null, kind: "wallet", userId: user, createdAt: at(4) }));
    });
    const found = await uow().run((r) =>
      r.pushLog.nthNewest([
        { filter: { businessId: business, phone: "254712345678" }, since: at(0), nth: 1 },
        { filter: { businessId: business, phone: "254712345678" }, since: at(0), nth: 2 },
        { filter: { businessId: business, phone: "254712345678" }, since: at(0), nth: 3 },
        { filter: { businessId: business, phone: "254712345678" }, since: at(1), nth: 1 },
        { filter: { businessId: business }, since: at(0), nth: 3 },
        { filter: { businessId: null, phone: "254712345678" }, since: at(0), nth: 1 },
        { filter: { userId: user, kind: "wallet" }, since: at(0), nth: 1 },
        { filter: { userId: user, kind: "sale" }, since: at(0), nth: 2 },
        { filter: { userId: user, kind: "verification" }, since: at(0), nth: 1 },
      ]),
    );
    expect(found.map((date) => (date === null ? null : (date.getTime() - T0.getTime()) / MINUTE))).toEqual([
      2,
      1,
      null,
      2,
      1,
      4,
      4,
      1,
      null,
    ]);
  });

  it("adds a push in the step that counts, only while no window is full, and answers the counts either way", async () => {
    const business = anId();
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
    const window = [
      { filter: { businessId: business }, since: at(0), nth: 2 },
      { filter: { businessId: business, phone: "254712345678" }, since: at(0), nth: 5 },
    ];
    const first = await uow().run((r) =>
      r.pushLog.addUnlessFull(push({ businessId: business, createdAt: at(1) }), window),
    );
    expect(first).toEqual({ nth: [null, null], added: true });
    const second = await uow().run((r) =>
      r.pushLog.addUnlessFull(push({ businessId: business, createdAt: at(2) }), window),
    );
    expect(second).toEqual({ nth: [null, null], added: true });
    const third = await uow().run((r) =>
      r.pushLog.addUnlessFull(push({ businessId: business, createdAt: at(3) }), window),
    );
    // The second newest push in the window is the first one: the window of two is full.
    expect(third).toEqual({ nth: [at(1), null], added: false });
    expect(
      await uow().read((r) =>
        r.pushLog.nthNewest([{ filter: { businessId: business }, since: at(0), nth: 1 }]),
      ),
    ).toEqual([at(2)]);
  });

  it("purges the pushes older than a given time", async () => {
    const business = anId();
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
    await uow().run(async (r) => {
      for (const minutes of [10, 20, 30]) {
        await r.pushLog.add(push({ businessId: business, createdAt: at(minutes) }));
      }
    });
    expect(await uow().run((r) => r.pushLog.purgeBefore(at(25)))).toBeGreaterThanOrEqual(2);
    const left = await uow().run((r) =>
      r.pushLog.nthNewest([
        { filter: { businessId: business }, since: at(0), nth: 1 },
        { filter: { businessId: business }, since: at(0), nth: 2 },
      ]),
    );
    expect(left).toEqual([at(30), null]);
  });

  const limits: PushLimits = {
    perPhone: 2,
    walletPerUserPerHour: 3,
    verificationsPerUserPerHour: 2,
    perBusinessPerMinute: 3,
  };
  const admitter = () => {
    const clock = new ManualClock(new Date(T0.getTime() + 24 * 60 * MINUTE));
    const deps = { pushLimits: limits, ids: { next: anId }, clock };
    return { clock, admit: (attempt: PushAttempt) => uow().run((r) => admitPush(r, deps, attempt)) };
  };

  it("admits pushes to a phone per business until the limit, then says when to retry, for 3 minutes", async () => {
    const { clock, admit } = admitter();
    const [shop, other, user] = [anId(), anId(), anId()];
    const sale = (businessId: string) => ({
      kind: "sale" as const,
      userId: user,
      businessId,
      phone: aPhone(),
    });
    expect((await admit(sale(shop))).ok).toBe(true);
    clock.advance(30_000);
    expect((await admit(sale(shop))).ok).toBe(true);
    clock.advance(30_000);
    expect(await admit(sale(shop))).toEqual({
      ok: false,
      error: {
        type: "push_rate_limited",
        limit: "phone",
        max: 2,
        windowSeconds: 180,
        // The older of the two is 60 s old: room again in 120 s.
        retryAfterSeconds: 120,
      },
    });
    // Another business, and the wallet, may still prompt the same phone.
    expect((await admit(sale(other))).ok).toBe(true);
    expect((await admit({ kind: "wallet", userId: user, phone: aPhone() })).ok).toBe(true);
    clock.advance(120_000);
    expect((await admit(sale(shop))).ok).toBe(true);
  });

  it("admits a business's pushes up to its limit a minute, whatever the phones", async () => {
    const { clock, admit } = admitter();
    const [shop, user] = [anId(), anId()];
    for (const phone of ["0711000001", "0711000002", "0711000003"]) {
      expect((await admit({ kind: "sale", userId: user, businessId: shop, phone: aPhone(phone) })).ok).toBe(
        true,
      );
    }
    const refused = await admit({
      kind: "verification",
      userId: user,
      businessId: shop,
      phone: aPhone("0711000004"),
    });
    expect(!refused.ok && [refused.error.limit, refused.error.retryAfterSeconds]).toEqual(["business", 60]);
    clock.advance(MINUTE);
    expect(
      (await admit({ kind: "sale", userId: user, businessId: shop, phone: aPhone("0711000004") })).ok,
    ).toBe(true);
  });

  it("admits a user's wallet and verification pushes up to their limits an hour", async () => {
    const { clock, admit } = admitter();
    const user = anId();
    for (const phone of ["0722000001", "0722000002", "0722000003"]) {
      expect((await admit({ kind: "wallet", userId: user, phone: aPhone(phone) })).ok).toBe(true);
      clock.advance(MINUTE);
    }
    const wallet = await admit({ kind: "wallet", userId: user, phone: aPhone("0722000004") });
    expect(!wallet.ok && [wallet.error.limit, wallet.error.retryAfterSeconds]).toEqual([
      "wallet_per_user",
      57 * 60,
    ]);
    expect((await admit({ kind: "wallet", userId: anId(), phone: aPhone("0722000004") })).ok).toBe(true);

    for (const phone of ["0733000001", "0733000002"]) {
      expect(
        (await admit({ kind: "verification", userId: user, businessId: anId(), phone: aPhone(phone) })).ok,
      ).toBe(true);
    }
    const verification = await admit({
      kind: "verification",
      userId: user,
      businessId: anId(),
      phone: aPhone(),
    });
    expect(!verification.ok && verification.error.limit).toBe("verification_per_user");
    // A sale is no verification: the user's verification limit does not hold it back.
    expect((await admit({ kind: "sale", userId: user, businessId: anId(), phone: aPhone() })).ok).toBe(true);
    clock.advance(60 * MINUTE);
    expect((await admit({ kind: "wallet", userId: user, phone: aPhone("0722000004") })).ok).toBe(true);
    expect(
      (await admit({ kind: "verification", userId: user, businessId: anId(), phone: aPhone() })).ok,
    ).toBe(true);
  });

  it("records nothing for a refused push", async () => {
    const { admit } = admitter();
    const [shop, user] = [anId(), anId()];
    const sale = { kind: "sale" as const, userId: user, businessId: shop, phone: aPhone() };
    await admit(sale);
    await admit(sale);
    for (let i = 0; i < 3; i += 1) {
      expect((await admit(sale)).ok).toBe(false);
    }
    const since = new Date(0);
    const counted = await uow().run((r) =>
      r.pushLog.nthNewest([
        { filter: { businessId: shop }, since, nth: 2 },
        { filter: { businessId: shop }, since, nth: 3 },
      ]),
    );
    expect(counted.map((date) => date !== null)).toEqual([true, false]);
  });
});
