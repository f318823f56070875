import { ApiKeySchema } from "./api-key-row.ts";
import { BusinessMemberSchema } from "./business-member-row.ts";
import { BusinessSchema } from "./business-row.ts";
import { C2bCheckSchema } from "./c2b-check-row.ts";
import { C2bPaymentSchema } from "./c2b-payment-row.ts";
import { C2bRegistrationSchema } from "./c2b-registration-row.ts";
import { CallbackRecordSchema } from "./callback-record-row.ts";
import { ConfigVerificationSchema } from "./config-verification-row.ts";
import { DarajaTokenSchema } from "./daraja-token-row.ts";
import { IdempotencyKeySchema } from "./idempotency-key-row.ts";
import { InvitationSchema } from "./invitation-row.ts";
import { LookupQuerySchema } from "./lookup-query-row.ts";
import { OutboxEventSchema } from "./outbox-event-row.ts";
import { PaymentConfigSchema } from "./payment-config-row.ts";
import { PaymentLocatorSchema } from "./payment-locator-row.ts";
import { PayoutConfigSchema } from "./payout-config-row.ts";
import { PayoutEventSchema } from "./payout-event-row.ts";
import { PayoutSchema } from "./payout-row.ts";
import { ProductSchema } from "./product-row.ts";
import { PushLogSchema } from "./push-log-row.ts";
import { RateLimitSchema } from "./rate-limit-row.ts";
import { RefundReceiptSchema, RefundSchema } from "./refund-row.ts";
import { RevokedTokenSchema } from "./revoked-token-row.ts";
import { SaleSchema } from "./sale-row.ts";
import { UserSchema } from "./user-row.ts";
import { WalletLedgerEntrySchema } from "./wallet-ledger-entry-row.ts";
import { WalletPurchaseSchema } from "./wallet-purchase-row.ts";
import { WebhookAttemptSchema, WebhookDeliverySchema } from "./webhook-delivery-row.ts";
import { WebhookEndpointSchema } from "./webhook-endpoint-row.ts";

/** Every table PayMe maps, for the ORM's metadata and the migration generator. */
export const allSchemas = [
  UserSchema,
  BusinessSchema,
  PaymentConfigSchema,
  ProductSchema,
  SaleSchema,
  WalletPurchaseSchema,
  WalletLedgerEntrySchema,
  PayoutSchema,
  RefundSchema,
  RefundReceiptSchema,
  CallbackRecordSchema,
  ConfigVerificationSchema,
  IdempotencyKeySchema,
  PayoutConfigSchema,
  PayoutEventSchema,
  PushLogSchema,
  RevokedTokenSchema,
  RateLimitSchema,
  PaymentLocatorSchema,
  OutboxEventSchema,
  BusinessMemberSchema,
  ApiKeySchema,
  InvitationSchema,
  WebhookEndpointSchema,
  WebhookDeliverySchema,
  WebhookAttemptSchema,
  C2bRegistrationSchema,
  C2bPaymentSchema,
  C2bCheckSchema,
  DarajaTokenSchema,
  LookupQuerySchema,
];
