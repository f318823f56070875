import type { ApiKeyRecord } from "../../application/ports/api-key-repository.ts";
import type { Invitation } from "../../application/ports/invitation-repository.ts";
import type { Member } from "../../application/ports/member-repository.ts";
import { paymentConfigView, verificationView } from "../../application/shared/payment-config-view.ts";
import { saleView } from "../../application/shared/sale-view.ts";
import { stkPaymentView } from "../../application/shared/stk-payment-view.ts";
import type { Business } from "../../domain/business.ts";
import type { Product } from "../../domain/product.ts";
import type { Role } from "../../domain/role.ts";
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

export const presentBusiness = (business: Business, role?: Role | null) => ({
  id: business.id,
  name: business.name,
  createdAt: business.createdAt.toISOString(),
  ...(role === undefined ? {} : { role }),
});

/** A business the caller belongs to, with their role in it. */
export const presentMembership = (m: { business: Business; role: Role | null }) =>
  presentBusiness(m.business, m.role);

export const presentMember = (member: Member) => ({
  userId: member.userId,
  email: member.email.value,
  name: member.name,
  role: member.role,
  addedAt: member.addedAt.toISOString(),
});

/** An invitation: never its token (only its hash is kept). */
export const presentInvitation = (invitation: Invitation) => ({
  id: invitation.id,
  email: invitation.email.value,
  role: invitation.role,
  expiresAt: invitation.expiresAt.toISOString(),
  createdAt: invitation.createdAt.toISOString(),
});

/** An API key: never its secret or hash. */
export const presentApiKey = (key: ApiKeyRecord) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: [...key.scopes],
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt === null ? null : key.lastUsedAt.toISOString(),
});

export const presentWalletPurchase = (purchase: WalletPurchase) => ({
  ...stkPaymentView(purchase),
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

export const presentProduct = (product: Product) => ({
  id: product.id,
  businessId: product.businessId,
  name: product.name,
  sku: product.sku,
  price: product.price.value,
  stock: product.stock,
  reserved: product.reserved,
  createdAt: product.createdAt.toISOString(),
  ...(product.archivedAt === null ? {} : { archivedAt: product.archivedAt.toISOString() }),
});

/** The shapes the application builds, for the routes: the same JSON in a response and in an event. */
export const presentSale = saleView;
export const presentVerification = verificationView;
export const presentPaymentConfig = paymentConfigView;
