import type { OutboxRepository } from "../../src/application/ports/outbox-repository.ts";
import type { Page, PageRequest } from "../../src/application/ports/page.ts";
import type { PaymentLocatorRepository } from "../../src/application/ports/payment-locator-repository.ts";
import type { SaleRepository } from "../../src/application/ports/sale-repository.ts";
import type { Repositories } from "../../src/application/ports/unit-of-work.ts";
import type { WalletLedgerRepository } from "../../src/application/ports/wallet-ledger-repository.ts";
import type { WalletPurchaseRepository } from "../../src/application/ports/wallet-purchase-repository.ts";
import { Sale } from "../../src/domain/sale.ts";
import { WalletLedgerEntry } from "../../src/domain/wallet-ledger-entry.ts";
import { WalletPurchase } from "../../src/domain/wallet-purchase.ts";

/**
 * Deliberately broken adapters: each wraps a real in-memory repository and gets one thing wrong, as a careless
 * persistence mapping could. The simulation must catch every one of them.
 */

/** A ledger that writes every credit twice (the second under a look-alike source, so no unique index stops it). */
export const creditingTwice = (r: Repositories): Repositories => ({
  ...r,
  walletLedger: new (class implements WalletLedgerRepository {
    async append(entry: WalletLedgerEntry): Promise<void> {
      await r.walletLedger.append(entry);
      await r.walletLedger.append(
        WalletLedgerEntry.restore({
          ...entry.snapshot(),
          id: `${entry.id}-again`,
          source: `${entry.source}/again`,
        }),
      );
    }
    balanceOf(userId: string): Promise<number> {
      return r.walletLedger.balanceOf(userId);
    }
    findBySource(source: string): Promise<WalletLedgerEntry | null> {
      return r.walletLedger.findBySource(source);
    }
    listByUser(userId: string, page: PageRequest): Promise<Page<WalletLedgerEntry>> {
      return r.walletLedger.listByUser(userId, page);
    }
  })(),
});

/** A sale store whose update forgets the stock state column: the row keeps the stock state it had. */
export const forgettingStockState = (r: Repositories): Repositories => {
  const sales = r.sales;
  const broken: SaleRepository = {
    add: (sale) => sales.add(sale),
    async update(sale: Sale): Promise<void> {
      const stored = await sales.findById(sale.id);
      await sales.update(
        Sale.restore({ ...sale.snapshot(), stockState: stored?.stockState ?? sale.stockState }),
      );
    },
    recordAcceptedPush: (sale) => sales.recordAcceptedPush(sale),
    findById: (id, options) => sales.findById(id, options),
    findByReference: (businessId, reference, options) =>
      sales.findByReference(businessId, reference, options),
    claimOpen: (claim) => sales.claimOpen(claim),
    claimUnsettled: (createdBefore, limit) => sales.claimUnsettled(createdBefore, limit),
    pendingSummary: () => sales.pendingSummary(),
    claimLapsedHolds: (now, limit) => sales.claimLapsedHolds(now, limit),
    listByBusiness: (businessId, filter, page) => sales.listByBusiness(businessId, filter, page),
    totals: (businessId, filter) => sales.totals(businessId, filter),
    findByReceiptToken: (token) => sales.findByReceiptToken(token),
    issueReceiptToken: (saleId, token) => sales.issueReceiptToken(saleId, token),
  };
  return { ...r, sales: broken };
};

/**
 * A purchase store that reads every purchase back as pending (its mapping drops the status column), so the state
 * machine's guard sees an open payment where there is a final one.
 */
export const readingEveryPurchaseAsPending = (r: Repositories): Repositories => {
  const purchases = r.walletPurchases;
  const pending = (purchase: WalletPurchase) =>
    WalletPurchase.restore({ ...purchase.snapshot(), status: "pending" });
  const asPending = (purchase: WalletPurchase | null) => (purchase === null ? null : pending(purchase));
  const broken: WalletPurchaseRepository = {
    add: (purchase) => purchases.add(purchase),
    update: (purchase) => purchases.update(purchase),
    recordAcceptedPush: async (purchase) => asPending(await purchases.recordAcceptedPush(purchase)),
    findById: async (id, options) => asPending(await purchases.findById(id, options)),
    findOwned: async (id, userId) => asPending(await purchases.findOwned(id, userId)),
    claimOpen: (claim) => purchases.claimOpen(claim),
    claimUnsettled: (createdBefore, limit) => purchases.claimUnsettled(createdBefore, limit),
    pendingSummary: () => purchases.pendingSummary(),
  };
  // The locator reads a purchase through the same store, so it reads it as pending too.
  const locators = r.paymentLocators;
  const brokenLocators: PaymentLocatorRepository = {
    find: (channel, key) => locators.find(channel, key),
    findPayment: async (channel, key, options) => {
      const found = await locators.findPayment(channel, key, options);
      return found?.payment instanceof WalletPurchase ? { ...found, payment: pending(found.payment) } : found;
    },
  };
  return { ...r, walletPurchases: broken, paymentLocators: brokenLocators };
};

/** Every call passed on to `outbox`: the base the broken outboxes below change one method of. */
const passingOn = (outbox: OutboxRepository): OutboxRepository => ({
  append: (event) => outbox.append(event),
  listForBusiness: (businessId, options) => outbox.listForBusiness(businessId, options),
  pageForBusiness: (businessId, filter, page) => outbox.pageForBusiness(businessId, filter, page),
  findById: (id) => outbox.findById(id),
  claimUndispatched: (limit) => outbox.claimUndispatched(limit),
  markDispatched: (ids, at) => outbox.markDispatched(ids, at),
  purgeCreatedBefore: (cutoff, limit) => outbox.purgeCreatedBefore(cutoff, limit),
});

/** An outbox that drops every `sale.needs_attention`: a flagged sale is never told of. */
export const droppingAttentionEvents = (r: Repositories): Repositories => {
  const outbox = r.outbox;
  const broken: OutboxRepository = {
    ...passingOn(outbox),
    append: async (event) => {
      if (event.type !== "sale.needs_attention") await outbox.append(event);
    },
  };
  return { ...r, outbox: broken };
};

/** An outbox that writes each payout event twice (under another id, so no primary key stops it). */
export const duplicatingPayoutEvents = (r: Repositories): Repositories => {
  const outbox = r.outbox;
  const broken: OutboxRepository = {
    ...passingOn(outbox),
    append: async (event) => {
      await outbox.append(event);
      if (event.type.startsWith("payout.")) await outbox.append({ ...event, id: `${event.id}-again` });
    },
  };
  return { ...r, outbox: broken };
};
