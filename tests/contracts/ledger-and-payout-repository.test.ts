import { expect, it } from "vitest";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import { Payout } from "../../src/domain/payout.ts";
import { WalletLedgerEntry } from "../../src/domain/wallet-ledger-entry.ts";
import { anId, aPayout, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
import { describeContract, seedOwner } from "./harness.ts";

describeContract("WalletLedgerRepository", ({ uow }) => {
  const paidCredit = (userId: string, amount: number) => {
    const purchase = aWalletPurchase(userId, { amount });
    unwrap(purchase.markPaid({ receipt: null, amount, phone: null, at: T0 }));
    return { purchase, entry: unwrap(WalletLedgerEntry.creditFor(purchase, anId(), T0)) };
  };

  it("sums a user's entries into a balance; zero with none", async () => {
    const { user } = await seedOwner(uow());
    const other = await seedOwner(uow());
    expect(await uow().run((r) => r.walletLedger.balanceOf(user.id))).toBe(0);
    await uow().run(async (r) => {
      await r.walletLedger.append(paidCredit(user.id, 100).entry);
      await r.walletLedger.append(paidCredit(user.id, 250).entry);
      await r.walletLedger.append(paidCredit(other.user.id, 999).entry);
    });
    expect(await uow().run((r) => r.walletLedger.balanceOf(user.id))).toBe(350);
  });

  it("never holds two entries for one source", async () => {
    const { user } = await seedOwner(uow());
    const { purchase, entry } = paidCredit(user.id, 100);
    await uow().run((r) => r.walletLedger.append(entry));
    const again = unwrap(WalletLedgerEntry.creditFor(purchase, anId(), T0));
    await expect(uow().run((r) => r.walletLedger.append(again))).rejects.toBeInstanceOf(UniqueViolation);
    expect(await uow().run((r) => r.walletLedger.balanceOf(user.id))).toBe(100);
    expect((await uow().run((r) => r.walletLedger.findBySource(entry.source)))?.id).toBe(entry.id);
  });

  it("pages a user's entries newest first", async () => {
    const { user } = await seedOwner(uow());
    const entries = [10, 20, 30].map((amount) => paidCredit(user.id, amount).entry);
    await uow().run(async (r) => {
      for (const entry of entries) {
        await r.walletLedger.append(entry);
      }
    });
    const first = await uow().run((r) => r.walletLedger.listByUser(user.id, { limit: 2, cursor: null }));
    expect(first.items.map((e) => e.tokens)).toEqual([30, 20]);
    const rest = await uow().run((r) =>
      r.walletLedger.listByUser(user.id, { limit: 2, cursor: first.nextCursor }),
    );
    expect(rest.items.map((e) => e.tokens)).toEqual([10]);
    expect(rest.nextCursor).toBeNull();
  });
});

describeContract("PayoutRepository", ({ uow }) => {
  it("stores a payout and finds it by id, callback token hash and OriginatorConversationID", async () => {
    const { user, business } = await seedOwner(uow());
    const payout = aPayout(business.id, user.id);
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

  it("saves acceptance and completion", async () => {
    const { user, business } = await seedOwner(uow());
    const payout = aPayout(business.id, user.id);
    await uow().run((r) => r.payouts.add(payout));
    unwrap(payout.recordAcceptance("AG_20260301_0000001"));
    unwrap(
      payout.complete({ receipt: `U${payout.id.slice(-9)}`, recipientName: "254712345678 - JANE", at: T0 }),
    );
    await uow().run((r) => r.payouts.update(payout));
    expect((await uow().run((r) => r.payouts.findById(payout.id)))?.snapshot()).toEqual(payout.snapshot());
  });

  it("never sends two payouts with one OriginatorConversationID", async () => {
    const { user, business } = await seedOwner(uow());
    const first = aPayout(business.id, user.id);
    await uow().run((r) => r.payouts.add(first));
    const twin = Payout.restore({
      ...aPayout(business.id, user.id).snapshot(),
      originatorConversationId: first.originatorConversationId,
    });
    await expect(uow().run((r) => r.payouts.add(twin))).rejects.toBeInstanceOf(UniqueViolation);
  });
});
