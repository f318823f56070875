import type { Business } from "../../domain/business.ts";
import type { StkPayment } from "../../domain/stk-payment.ts";
import type { User } from "../../domain/user.ts";
import type { WalletLedgerEntry } from "../../domain/wallet-ledger-entry.ts";
import type { WalletPurchase } from "../../domain/wallet-purchase.ts";

/** The JSON shapes of the contract. Nothing secret (a password hash, a passkey) is ever presented. */

export const presentUser = (user: User) => ({
  id: user.id,
  email: user.email.value,
  name: user.name,
  phone: user.phone?.value ?? null,
  createdAt: user.createdAt.toISOString(),
});

export const presentBusiness = (business: Business) => ({
  id: business.id,
  name: business.name,
  createdAt: business.createdAt.toISOString(),
});

/** What every STK payment shows: its state, its money and what M-Pesa said. Optional fields appear once known. */
const presentStkPayment = (payment: StkPayment) => ({
  id: payment.id,
  status: payment.status,
  amount: payment.amount.value,
  phone: payment.phone.value,
  checkoutRequestId: payment.checkoutRequestId,
  ...(payment.mpesaReceipt === null ? {} : { mpesaReceipt: payment.mpesaReceipt }),
  ...(payment.resultCode === null ? {} : { resultCode: payment.resultCode }),
  ...(payment.failureReason === null ? {} : { failureReason: payment.failureReason }),
  needsAttention: payment.needsAttention,
  ...(payment.attentionReason === null ? {} : { attentionReason: payment.attentionReason }),
  createdAt: payment.createdAt.toISOString(),
  ...(payment.completedAt === null ? {} : { completedAt: payment.completedAt.toISOString() }),
});

export const presentWalletPurchase = (purchase: WalletPurchase) => ({
  ...presentStkPayment(purchase),
  tokens: purchase.tokens,
});

export const presentLedgerEntry = (entry: WalletLedgerEntry) => ({
  id: entry.id,
  type: entry.kind,
  tokens: entry.tokens,
  ...(entry.source.startsWith("wallet_purchase:")
    ? { purchaseId: entry.source.slice("wallet_purchase:".length) }
    : {}),
  createdAt: entry.createdAt.toISOString(),
});
