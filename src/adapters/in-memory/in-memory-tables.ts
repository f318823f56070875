import type { ApiKeyRecord } from "../../application/ports/api-key-repository.ts";
import type { C2bCheck } from "../../application/ports/c2b-check-repository.ts";
import type { CallbackRecord } from "../../application/ports/callback-audit-repository.ts";
import type { Invitation } from "../../application/ports/invitation-repository.ts";
import type { OutboxEvent } from "../../application/ports/outbox-repository.ts";
import type { LocatedRecord } from "../../application/ports/payment-locator-repository.ts";
import type { PayoutEvent } from "../../application/ports/payout-event-repository.ts";
import type { PushRecord } from "../../application/ports/push-log-repository.ts";
import type { TokenClaims } from "../../application/ports/token-issuer.ts";
import type {
  DeliveryAttempt,
  WebhookDelivery,
} from "../../application/ports/webhook-delivery-repository.ts";
import type { BusinessState } from "../../domain/business.ts";
import type { C2bPaymentState } from "../../domain/c2b-payment.ts";
import type { C2bRegistrationState } from "../../domain/c2b-registration.ts";
import type { ConfigVerificationState } from "../../domain/config-verification.ts";
import type { LookupQuery } from "../../domain/lookup-query.ts";
import type { PaymentConfigState } from "../../domain/payment-config.ts";
import type { PayoutState } from "../../domain/payout.ts";
import type { PayoutConfigState } from "../../domain/payout-config.ts";
import type { ProductState } from "../../domain/product.ts";
import type { RefundState } from "../../domain/refund.ts";
import type { Role } from "../../domain/role.ts";
import type { SaleState } from "../../domain/sale.ts";
import type { UserState } from "../../domain/user.ts";
import type { WalletLedgerEntryState } from "../../domain/wallet-ledger-entry.ts";
import type { WalletPurchaseState } from "../../domain/wallet-purchase.ts";
import type { WebhookEndpointState } from "../../domain/webhook-endpoint.ts";
import { JournaledMap, UndoLog } from "./journaled-map.ts";

/** A job of the in-memory webhook queue: waiting until `startAfter`, or taken at `takenAt`. */
export type InMemoryWebhookJob = {
  readonly id: string;
  readonly deliveryId: string;
  readonly startAfter: Date;
  readonly takenAt: Date | null;
};

/**
 * The rows of the in-memory database. Rows are entity snapshots; repositories replace a row on every write
 * and never change one in place, so undoing the map writes a transaction made is enough to roll it back.
 */
export class InMemoryTables {
  /** Records each write while a transaction is open, so that a rollback takes back just those. */
  readonly undo = new UndoLog();
  readonly users = JournaledMap.in<string, UserState>(this.undo);
  readonly businesses = JournaledMap.in<string, BusinessState>(this.undo);
  readonly paymentConfigs = JournaledMap.in<string, PaymentConfigState>(this.undo);
  readonly products = JournaledMap.in<string, ProductState>(this.undo);
  readonly sales = JournaledMap.in<string, SaleState>(this.undo);
  readonly walletPurchases = JournaledMap.in<string, WalletPurchaseState>(this.undo);
  readonly walletLedger = JournaledMap.in<string, WalletLedgerEntryState>(this.undo);
  readonly payouts = JournaledMap.in<string, PayoutState>(this.undo);
  readonly refunds = JournaledMap.in<string, RefundState>(this.undo);
  readonly callbacks = JournaledMap.in<string, CallbackRecord>(this.undo);
  readonly configVerifications = JournaledMap.in<string, ConfigVerificationState>(this.undo);
  readonly payoutConfigs = JournaledMap.in<string, PayoutConfigState>(this.undo);
  readonly payoutEvents = JournaledMap.in<string, PayoutEvent>(this.undo);
  readonly pushLog = JournaledMap.in<string, PushRecord>(this.undo);
  /** Revoked sign-in tokens by their id. */
  readonly revokedTokens = JournaledMap.in<string, TokenClaims>(this.undo);
  /** Which payment a Daraja key names, by `locatorKey(channel, key)`. */
  readonly paymentLocators = JournaledMap.in<string, LocatedRecord>(this.undo);
  readonly outboxEvents = JournaledMap.in<string, OutboxEvent>(this.undo);
  /** Memberships by `${businessId}:${userId}`. */
  readonly members = JournaledMap.in<
    string,
    { businessId: string; userId: string; role: Role; addedAt: Date }
  >(this.undo);
  readonly apiKeys = JournaledMap.in<string, ApiKeyRecord & { revokedAt: Date | null }>(this.undo);
  readonly invitations = JournaledMap.in<string, Invitation & { acceptedAt: Date | null }>(this.undo);
  /** When the webhook fan-out took each event, by the event's id. */
  readonly outboxDispatched = JournaledMap.in<string, Date>(this.undo);
  readonly webhookEndpoints = JournaledMap.in<string, WebhookEndpointState>(this.undo);
  readonly webhookDeliveries = JournaledMap.in<string, WebhookDelivery>(this.undo);
  /** The webhook queue's jobs that are not done yet, by id. */
  readonly webhookJobs = JournaledMap.in<string, InMemoryWebhookJob>(this.undo);
  readonly webhookAttempts = JournaledMap.in<string, DeliveryAttempt>(this.undo);
  readonly c2bRegistrations = JournaledMap.in<string, C2bRegistrationState>(this.undo);
  readonly c2bPayments = JournaledMap.in<string, C2bPaymentState>(this.undo);
  readonly c2bChecks = JournaledMap.in<string, C2bCheck>(this.undo);
  readonly lookupQueries = JournaledMap.in<string, LookupQuery>(this.undo);
}
