import type { ConfigWithVerification } from "../../application/payment-configs/get-payment-config.ts";
import type { Business } from "../../domain/business.ts";
import type { ConfigVerification } from "../../domain/config-verification.ts";
import type { Product } from "../../domain/product.ts";
import type { Sale } from "../../domain/sale.ts";
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
  // A row from before PayMe kept push outcomes cannot tell: unknown.
  pushOutcome: payment.pushOutcome ?? "unknown",
  needsAttention: payment.needsAttention,
  ...(payment.attentionKind === null ? {} : { attentionKind: payment.attentionKind }),
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

/** A verification attempt as a page can poll it. */
export const presentVerification = (verification: ConfigVerification) => ({
  ...presentStkPayment(verification),
  paymentConfigId: verification.paymentConfigId,
});

/** A payment config. The passkey and the consumer secret are never shown, in any form. */
export const presentPaymentConfig = ({ config, lastVerification }: ConfigWithVerification) => ({
  id: config.id,
  businessId: config.businessId,
  paymentMethod: config.method,
  shortcode: config.shortcode.value,
  storeNumber: config.storeNumber.value,
  accountReference: config.accountReference?.value ?? null,
  accountName: config.accountName,
  hasOwnDarajaApp: config.ownApp !== null,
  verified: config.verified,
  isActive: config.active,
  createdAt: config.createdAt.toISOString(),
  lastVerification: lastVerification === null ? null : presentVerification(lastVerification),
});

export const presentProduct = (product: Product) => ({
  id: product.id,
  businessId: product.businessId,
  name: product.name,
  sku: product.sku,
  price: product.price.value,
  stock: product.stock,
  reserved: product.reserved,
  createdAt: product.createdAt.toISOString(),
});

export const presentSale = (sale: Sale) => ({
  ...presentStkPayment(sale),
  businessId: sale.businessId,
  items: sale.items.map((item) => ({
    productId: item.productId,
    name: item.name,
    quantity: item.quantity,
    unitPrice: item.unitPrice.value,
  })),
  description: sale.description,
  stockState: sale.stockState,
});
