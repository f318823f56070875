import { expect, it } from "vitest";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import { type BalanceQuery, settleLookup } from "../../src/domain/lookup-query.ts";
import { anId, aPayout, aPayoutConfig, aStatusQuery, T0, unwrap } from "../support/builders.ts";
import { describeContract, seedOwner } from "./harness.ts";

const aBalanceQuery = (businessId: string): BalanceQuery => ({
  id: anId(),
  businessId,
  tokenHash: `hash-${anId()}`,
  kind: "account_balance",
  shortcode: "600100",
  status: "pending",
  balance: null,
  resultCode: null,
  failureReason: null,
  createdAt: T0,
  completedAt: null,
});

const LATER = new Date(T0.getTime() + 5_000);

describeContract("LookupQueryRepository", ({ uow }) => {
  it("keeps a status query, finds it by id and by its token's hash, and saves its settlement", async () => {
    const { business } = await seedOwner(uow());
    const query = aStatusQuery(business.id);
    await uow().run((r) => r.lookupQueries.add(query));
    expect(await uow().read((r) => r.lookupQueries.findById(query.id))).toEqual(query);
    const settled = settleLookup(
      query,
      {
        type: "transaction",
        transaction: {
          receipt: "SBK4QUB1VA",
          status: "Completed",
          amount: 250,
          debitParty: "254712345678 - JANE",
          creditParty: null,
          completedAt: new Date("2026-03-01T08:00:00.000Z"),
          reasonType: null,
        },
      },
      LATER,
    );
    if (settled === null) throw new Error("a pending query settles");
    await uow().run(async (r) => {
      const locked = await r.lookupQueries.findByTokenHash(query.tokenHash, { lock: true });
      expect(locked?.id).toBe(query.id);
      await r.lookupQueries.update(settled);
    });
    expect(await uow().read((r) => r.lookupQueries.findByTokenHash(query.tokenHash))).toEqual(settled);
    expect(await uow().read((r) => r.lookupQueries.findById(anId()))).toBeNull();
  });

  it("keeps a balance with its figures as strings, exactly", async () => {
    const { business } = await seedOwner(uow());
    const query = aBalanceQuery(business.id);
    await uow().run((r) => r.lookupQueries.add(query));
    const accounts = [
      {
        name: "Charges Paid Account",
        currency: "KES",
        available: "-1540.00",
        reserved: "0.00",
        uncleared: "0.00",
        total: "-1540.00",
      },
    ];
    const settled = settleLookup(query, { type: "balance", accounts, at: T0 }, LATER);
    if (settled === null) throw new Error("a pending query settles");
    await uow().run((r) => r.lookupQueries.update(settled));
    expect(await uow().read((r) => r.lookupQueries.findById(query.id))).toEqual({
      ...query,
      status: "completed",
      resultCode: "0",
      balance: { shortcode: "600100", accounts, at: T0 },
      completedAt: LATER,
    });
    // A settled query settles no more.
    expect(settleLookup(settled, { type: "failed", resultCode: null, reason: "late" }, LATER)).toBeNull();
  });

  it("refuses a second query with the same token's hash", async () => {
    const { business } = await seedOwner(uow());
    const first = aStatusQuery(business.id);
    await uow().run((r) => r.lookupQueries.add(first));
    await expect(
      uow().run((r) => r.lookupQueries.add(aStatusQuery(business.id, first.tokenHash))),
    ).rejects.toBeInstanceOf(UniqueViolation);
  });
});

describeContract("StatusTokenRepository", ({ uow }) => {
  it("finds the payout or the look-up whose status token has the hash, in one read, and null for neither", async () => {
    const { user, business } = await seedOwner(uow());
    const config = aPayoutConfig(business.id);
    const payout = aPayout(business.id, user.id, { payoutConfigId: config.id });
    const payoutToken = `hash-${anId()}`;
    unwrap(payout.recordStatusQuery(payoutToken, T0));
    const query = aStatusQuery(business.id);
    await uow().run(async (r) => {
      await r.payoutConfigs.add(config);
      await r.payouts.add(payout);
      await r.lookupQueries.add(query);
    });

    const ofPayout = await uow().run((r) => r.statusTokens.findOwner(payoutToken, { lock: true }));
    expect(ofPayout?.kind === "payout" ? ofPayout.payout.snapshot() : ofPayout).toEqual(payout.snapshot());
    expect(await uow().run((r) => r.statusTokens.findOwner(query.tokenHash, { lock: true }))).toEqual({
      kind: "lookup",
      query,
    });
    // The payout's B2C callback token is no status token.
    expect(
      await uow().read((r) => r.statusTokens.findOwner(payout.callbackTokenHash, { lock: false })),
    ).toBeNull();
    expect(await uow().read((r) => r.statusTokens.findOwner(`hash-${anId()}`, { lock: false }))).toBeNull();
  });
});
