import * as v from "valibot";
import { LOOKUP_STATUSES } from "../../../domain/lookup-query.ts";

/** The shapes of the look-up routes' answers (they mirror lookup-presenters.ts). */

const id = v.pipe(v.string(), v.uuid(), v.description("An opaque id (UUIDv7)."));
const timestamp = v.pipe(v.string(), v.isoTimestamp(), v.description("ISO 8601 time, UTC."));
const figure = v.pipe(
  v.string(),
  v.regex(/^-?\d+(\.\d{1,2})?$/),
  v.description('A decimal string exactly as Daraja gives it ("700000.00"), never rounded.'),
);

export const TransactionSchema = v.object({
  receipt: v.string(),
  status: v.pipe(v.string(), v.description('M-Pesa\'s TransactionStatus: "Completed", "Reversed", …')),
  amount: v.pipe(v.nullable(v.number()), v.description("Shillings, as M-Pesa reports it.")),
  debitParty: v.pipe(v.nullable(v.string()), v.description('"<shortcode or phone> - <name>" of the payer.')),
  creditParty: v.pipe(v.nullable(v.string()), v.description('"<shortcode or phone> - <name>" of the payee.')),
  completedAt: v.nullable(timestamp),
  reasonType: v.optional(v.string()),
});

export const BalanceSchema = v.object({
  shortcode: v.string(),
  accounts: v.array(
    v.object({
      name: v.pipe(v.string(), v.description("Working Account, Utility Account, Float Account, …")),
      currency: v.string(),
      available: figure,
      reserved: figure,
      uncleared: figure,
      total: figure,
    }),
  ),
  at: v.pipe(timestamp, v.description("When M-Pesa took the balance.")),
});

const queryStatus = v.pipe(
  v.picklist(LOOKUP_STATUSES),
  v.description(
    "pending: Daraja's result has not come yet (poll this query); completed; failed (failureReason says why).",
  ),
);

const settled = {
  resultCode: v.optional(v.string()),
  failureReason: v.optional(v.string()),
  createdAt: timestamp,
  completedAt: v.optional(timestamp),
};

export const StatusQuerySchema = v.object({
  id,
  businessId: id,
  receipt: v.string(),
  status: queryStatus,
  transaction: v.optional(TransactionSchema),
  ...settled,
});

export const BalanceQuerySchema = v.object({
  id,
  businessId: id,
  shortcode: v.string(),
  status: queryStatus,
  balance: v.optional(BalanceSchema),
  ...settled,
});
