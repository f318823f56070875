import { expect, it } from "vitest";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import { WalletLedgerEntry } from "../../src/domain/wallet-ledger-entry.ts";
import { anId, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
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

  it("keeps a balance exact past what one 32-bit entry holds", async () => {
    const { user } = await seedOwner(uow());
    // The largest purchase at the highest rate: 250,000 × 8,589 tokens, just under 2^31, twice and more.
    const credit = () => {
      const purchase = aWalletPurchase(user.id, { amount: 250_000, tokensPerKes: 8589 });
      unwrap(purchase.markPaid({ receipt: null, amount: 250_000, phone: null, at: T0 }));
      return unwrap(WalletLedgerEntry.creditFor(purchase, anId(), T0));
    };
    await uow().run(async (r) => {
      for (let i = 0; i < 3; i += 1) {
        await r.walletLedger.append(credit());
      }
    });
    expect(await uow().run((r) => r.walletLedger.balanceOf(user.id))).toBe(3 * 2_147_250_000);
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
