import * as v from "valibot";
import { API_KEY_SCOPES } from "../../../domain/api-key-scope.ts";
import { PUSH_OUTCOMES } from "../../../domain/push-outcome.ts";
import { INVITABLE_ROLES, ROLES } from "../../../domain/role.ts";
import { PAYMENT_STATUSES } from "../../../domain/stk-payment.ts";

/**
 * The shapes PayMe answers with, as valibot schemas: the source of the OpenAPI document's response schemas.
 * They mirror presenters.ts; tests parse real responses with them, so the two cannot drift apart.
 */

const id = v.pipe(v.string(), v.uuid(), v.description("An opaque id (UUIDv7)."));
const timestamp = v.pipe(v.string(), v.isoTimestamp(), v.description("ISO 8601 time, UTC."));
const msisdn = v.pipe(
  v.string(),
  v.regex(/^254[17]\d{8}$/),
  v.description("A normalised Kenyan mobile number."),
);
const shillings = v.pipe(v.number(), v.integer(), v.description("Whole Kenyan shillings."));
const pushOutcome = v.pipe(
  v.picklist(PUSH_OUTCOMES),
  v.description(
    "What Daraja answered to the request: accepted; refused (a definite refusal: nothing started); or unknown " +
      "(no answer, or one that does not say, such as a 5xx or an HTML page: Daraja may have started it, so the " +
      "payment stays pending until its callback or a query settles it).",
  ),
);
const attentionKind = v.pipe(
  v.picklist(["blocking", "informational"]),
  v.description(
    "blocking: nothing automatic changes the payment until a person resolves it; informational: a later " +
      "callback or query may still settle it.",
  ),
);

export const ProblemSchema = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  detail: v.string(),
  code: v.pipe(v.string(), v.description("Stable, machine-readable: validation_failed, not_found, …")),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
  instance: v.optional(v.string()),
});

export const UserSchema = v.object({
  id,
  email: v.string(),
  name: v.string(),
  phone: v.nullable(msisdn),
  createdAt: timestamp,
});

export const BusinessSchema = v.object({
  id,
  name: v.string(),
  createdAt: timestamp,
  role: v.optional(
    v.pipe(v.nullable(v.picklist(ROLES)), v.description("The caller's role in it (null for an API key).")),
  ),
});

export const MemberSchema = v.object({
  userId: id,
  email: v.string(),
  name: v.string(),
  role: v.picklist(ROLES),
  addedAt: timestamp,
});

export const InvitationSchema = v.object({
  id,
  email: v.string(),
  role: v.picklist(INVITABLE_ROLES),
  expiresAt: timestamp,
  createdAt: timestamp,
});

export const ApiKeySchema = v.object({
  id,
  name: v.string(),
  prefix: v.pipe(v.string(), v.description("The key's first 12 characters.")),
  scopes: v.array(v.picklist(API_KEY_SCOPES)),
  createdAt: timestamp,
  lastUsedAt: v.nullable(timestamp),
});

const stkPaymentFields = {
  id,
  status: v.picklist(PAYMENT_STATUSES),
  amount: shillings,
  phone: msisdn,
  checkoutRequestId: v.nullable(v.string()),
  mpesaReceipt: v.optional(v.string()),
  resultCode: v.optional(v.string()),
  failureReason: v.optional(v.string()),
  pushOutcome,
  needsAttention: v.boolean(),
  attentionKind: v.optional(attentionKind),
  attentionReason: v.optional(v.string()),
  createdAt: timestamp,
  completedAt: v.optional(timestamp),
};

export const WalletPurchaseSchema = v.object({ ...stkPaymentFields, tokens: v.number() });

export const LedgerEntrySchema = v.object({
  id,
  type: v.picklist(["purchase_credit"]),
  tokens: v.number(),
  purchaseId: v.optional(id),
  createdAt: timestamp,
});

export const VerificationSchema = v.object({ ...stkPaymentFields, paymentConfigId: id });

export const PaymentConfigSchema = v.object({
  id,
  businessId: id,
  paymentMethod: v.picklist(["till", "paybill"]),
  shortcode: v.string(),
  storeNumber: v.string(),
  accountReference: v.nullable(v.string()),
  accountName: v.string(),
  hasOwnDarajaApp: v.boolean(),
  hasInitiator: v.pipe(
    v.boolean(),
    v.description(
      "Whether the receiving shortcode's API operator is kept (sealed) for Reversal, Transaction Status and Pull.",
    ),
  ),
  verified: v.boolean(),
  isActive: v.boolean(),
  createdAt: timestamp,
  lastVerification: v.nullable(VerificationSchema),
});

export const ProductSchema = v.object({
  id,
  businessId: id,
  name: v.string(),
  sku: v.nullable(v.string()),
  price: shillings,
  stock: v.pipe(
    v.number(),
    v.integer(),
    v.description("What can be sold now, reservations already taken off."),
  ),
  reserved: v.pipe(v.number(), v.integer(), v.description("What pending sales hold.")),
  createdAt: timestamp,
  archivedAt: v.optional(
    v.pipe(
      timestamp,
      v.description("When it was archived: it can no longer be sold. Absent while it is sold."),
    ),
  ),
});

export const SaleSchema = v.object({
  ...stkPaymentFields,
  businessId: id,
  reference: v.pipe(
    v.string(),
    v.regex(/^[2-9A-HJ-NP-Z]{6}$/),
    v.description(
      "Short, unique within the business, easy to read out. On a paybill, a customer may pay a pending sale from their own M-Pesa menu with it as the account number.",
    ),
  ),
  items: v.array(v.object({ productId: id, name: v.string(), quantity: v.number(), unitPrice: shillings })),
  description: v.nullable(v.string()),
  stockState: v.picklist(["none", "reserved", "committed", "released", "returned"]),
  refundedAmount: v.pipe(
    shillings,
    v.description("Shillings given back by completed refunds of the sale's receipt."),
  ),
});

export const C2bPaymentSchema = v.object({
  id,
  kind: v.literal("c2b"),
  businessId: id,
  receipt: v.pipe(v.string(), v.description("The M-Pesa receipt (TransID): one payment per receipt.")),
  amount: shillings,
  phone: v.pipe(
    v.string(),
    v.description(
      "As Daraja sent it: masked (2547 ***** 126) or a SHA-256 hex of the number; never normalised.",
    ),
  ),
  payerName: v.optional(v.string()),
  accountNumber: v.optional(v.pipe(v.string(), v.description("What the payer typed (paybills only)."))),
  transactionType: v.string(),
  shortcode: v.string(),
  paidAt: timestamp,
  source: v.picklist(["confirmation", "pull", "status_query"]),
  matchedSaleId: v.optional(id),
  needsAttention: v.boolean(),
  attentionReason: v.optional(v.string()),
  refundedAmount: shillings,
  createdAt: timestamp,
});

export const C2bRegistrationSchema = v.object({
  shortcode: v.string(),
  registeredAt: timestamp,
  confirmationUrl: v.pipe(v.string(), v.description("Its token masked: …/confirmation/****abcd.")),
  validationUrl: v.string(),
  responseType: v.picklist(["Completed", "Cancelled"]),
  validation: v.object({
    enabled: v.boolean(),
    minAmount: v.nullable(shillings),
    maxAmount: v.nullable(shillings),
    requireKnownAccount: v.boolean(),
  }),
  darajaResponse: v.record(v.string(), v.string()),
});

export const PayoutConfigSchema = v.object({
  id,
  businessId: id,
  shortcode: v.string(),
  initiatorName: v.string(),
  hasOwnDarajaApp: v.boolean(),
  dailyLimit: v.pipe(
    shillings,
    v.description(
      "Pending and completed payouts since midnight EAT may come to this much (10 to 1,000,000,000).",
    ),
  ),
  perPayoutLimit: v.pipe(shillings, v.description("The most one payout may send (10 to 250,000).")),
  createdAt: timestamp,
});

export const PayoutSchema = v.object({
  id,
  businessId: id,
  status: v.picklist(["pending", "completed", "failed"]),
  amount: shillings,
  phone: msisdn,
  commandId: v.picklist(["BusinessPayment", "SalaryPayment", "PromotionPayment"]),
  remarks: v.string(),
  originatorConversationId: v.string(),
  conversationId: v.optional(v.string()),
  mpesaReceipt: v.optional(v.string()),
  recipientName: v.optional(v.string()),
  resultCode: v.optional(v.string()),
  failureReason: v.optional(v.string()),
  pushOutcome,
  needsAttention: v.boolean(),
  attentionReason: v.optional(v.string()),
  queueTimedOutAt: v.optional(timestamp),
  createdAt: timestamp,
  completedAt: v.optional(timestamp),
});

export const RefundSchema = v.object({
  id,
  businessId: id,
  saleId: v.optional(id),
  c2bPaymentId: v.optional(id),
  method: v.pipe(
    v.picklist(["reversal", "b2c"]),
    v.description("reversal: the whole payment, by Daraja's Reversal; b2c: part of it, sent back by B2C."),
  ),
  status: v.picklist(["pending", "completed", "failed"]),
  amount: shillings,
  reason: v.optional(v.string()),
  restock: v.pipe(
    v.boolean(),
    v.description("Whether the sale's items go back into stock when it completes."),
  ),
  originalReceipt: v.pipe(v.string(), v.description("The M-Pesa receipt of the payment refunded.")),
  payoutId: v.optional(v.pipe(id, v.description("A B2C refund: the payout that carries the money."))),
  mpesaReceipt: v.optional(v.pipe(v.string(), v.description("The receipt of the reversal or B2C payment."))),
  resultCode: v.optional(v.string()),
  failureReason: v.optional(v.string()),
  pushOutcome,
  needsAttention: v.boolean(),
  attentionReason: v.optional(v.string()),
  createdAt: timestamp,
  completedAt: v.optional(timestamp),
});

export const PayoutStoryEntrySchema = v.looseObject({
  at: timestamp,
  type: v.pipe(v.string(), v.description("requested, refused, accepted, status_query_sent, …, or callback")),
});

export const AuthSessionSchema = v.object({
  token: v.pipe(v.string(), v.description("A bearer token (HS256 JWT).")),
  expiresAt: timestamp,
  user: UserSchema,
  setupNeeded: v.boolean(),
  setupUrl: v.optional(v.literal("/setup/payment-method")),
});

export const page = <T extends v.GenericSchema>(key: string, item: T) =>
  v.object({ [key]: v.array(item), nextCursor: v.nullable(v.string()) });
