import type { CallbackRecord } from "../../application/ports/callback-audit-repository.ts";
import type { OutboxEvent } from "../../application/ports/outbox-repository.ts";
import type { LocatedRecord } from "../../application/ports/payment-locator-repository.ts";
import type { PayoutEvent } from "../../application/ports/payout-event-repository.ts";
import type { PushRecord } from "../../application/ports/push-log-repository.ts";
import type { TokenClaims } from "../../application/ports/token-issuer.ts";
import type { BusinessState } from "../../domain/business.ts";
import type { ConfigVerificationState } from "../../domain/config-verification.ts";
import type { PaymentConfigState } from "../../domain/payment-config.ts";
import type { PayoutState } from "../../domain/payout.ts";
import type { PayoutConfigState } from "../../domain/payout-config.ts";
import type { ProductState } from "../../domain/product.ts";
import type { SaleState } from "../../domain/sale.ts";
import type { UserState } from "../../domain/user.ts";
import type { WalletLedgerEntryState } from "../../domain/wallet-ledger-entry.ts";
import type { WalletPurchaseState } from "../../domain/wallet-purchase.ts";

/**
 * The rows of the in-memory database. Rows are entity snapshots; repositories replace a row on every write
 * and never change one in place, so copying the maps is enough to roll a transaction back.
 */
export class InMemoryTables {
  users = new Map<string, UserState>();
  businesses = new Map<string, BusinessState>();
  paymentConfigs = new Map<string, PaymentConfigState>();
  products = new Map<string, ProductState>();
  sales = new Map<string, SaleState>();
  walletPurchases = new Map<string, WalletPurchaseState>();
  walletLedger = new Map<string, WalletLedgerEntryState>();
  payouts = new Map<string, PayoutState>();
  callbacks = new Map<string, CallbackRecord>();
  configVerifications = new Map<string, ConfigVerificationState>();
  payoutConfigs = new Map<string, PayoutConfigState>();
  payoutEvents = new Map<string, PayoutEvent>();
  pushLog = new Map<string, PushRecord>();
  /** Revoked sign-in tokens by their id. */
  revokedTokens = new Map<string, TokenClaims>();
  /** Which payment a Daraja key names, by `locatorKey(channel, key)`. */
  paymentLocators = new Map<string, LocatedRecord>();
  outboxEvents = new Map<string, OutboxEvent>();

  copy(): InMemoryTables {
    const copy = new InMemoryTables();
    copy.restoreFrom(this);
    return copy;
  }

  restoreFrom(other: InMemoryTables): void {
    this.users = new Map(other.users);
    this.businesses = new Map(other.businesses);
    this.paymentConfigs = new Map(other.paymentConfigs);
    this.products = new Map(other.products);
    this.sales = new Map(other.sales);
    this.walletPurchases = new Map(other.walletPurchases);
    this.walletLedger = new Map(other.walletLedger);
    this.payouts = new Map(other.payouts);
    this.callbacks = new Map(other.callbacks);
    this.configVerifications = new Map(other.configVerifications);
    this.payoutConfigs = new Map(other.payoutConfigs);
    this.payoutEvents = new Map(other.payoutEvents);
    this.pushLog = new Map(other.pushLog);
    this.revokedTokens = new Map(other.revokedTokens);
    this.paymentLocators = new Map(other.paymentLocators);
    this.outboxEvents = new Map(other.outboxEvents);
  }
}
