import { RandomReferenceGenerator } from "../../src/adapters/crypto/random-reference-generator.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { type Access, userActor } from "../../src/application/shared/actor.ts";
import type { Permission } from "../../src/application/shared/permissions.ts";
import { AccountName } from "../../src/domain/account-name.ts";
import { AccountReference } from "../../src/domain/account-reference.ts";
import { Business } from "../../src/domain/business.ts";
import { DarajaCredential } from "../../src/domain/daraja-credential.ts";
import { Email } from "../../src/domain/email.ts";
import { InitiatorName } from "../../src/domain/initiator-name.ts";
import { Kes } from "../../src/domain/kes.ts";
import type { StatusQuery } from "../../src/domain/lookup-query.ts";
import { Msisdn } from "../../src/domain/msisdn.ts";
import { PaymentConfig } from "../../src/domain/payment-config.ts";
import { Payout } from "../../src/domain/payout.ts";
import { PayoutConfig } from "../../src/domain/payout-config.ts";
import { Product } from "../../src/domain/product.ts";
import { ProductName } from "../../src/domain/product-name.ts";
import { Quantity } from "../../src/domain/quantity.ts";
import type { Result } from "../../src/domain/result.ts";
import { Sale } from "../../src/domain/sale.ts";
import { SaleDescription } from "../../src/domain/sale-description.ts";
import type { SaleReference } from "../../src/domain/sale-reference.ts";
import { sealedSecret } from "../../src/domain/sealed-secret.ts";
import { Shortcode } from "../../src/domain/shortcode.ts";
import { Sku } from "../../src/domain/sku.ts";
import { StockLevel } from "../../src/domain/stock-level.ts";
import { User } from "../../src/domain/user.ts";
import { WalletPurchase } from "../../src/domain/wallet-purchase.ts";

/** Small builders for test data: name only what the test is about. */

const ids = new UuidV7IdGenerator();
let counter = 0;
const unique = () => {
  counter += 1;
  return `${Date.now().toString(36)}${counter}`;
};

export const T0 = new Date("2026-03-01T09:00:00.000Z");

/** A fresh UUIDv7: unique across test files that share a database, and time-ordered. */
export const anId = (): string => ids.next();

export function unwrap<T, E>(result: Result<T, E>): T {
  if (!result.ok) {
    throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  }
  return result.value;
}

export const aShortcode = (raw: string): Shortcode => unwrap(Shortcode.parse(raw));
export const anAccountName = (raw: string): AccountName => unwrap(AccountName.parse(raw));
export const aCredential = (raw: string, path = "passkey"): DarajaCredential =>
  unwrap(DarajaCredential.parse(raw, path));
const unwrapReference = (raw: string | null): AccountReference | null =>
  raw === null ? null : unwrap(AccountReference.parse(raw));

export const aPhone = (raw = "0712345678"): Msisdn => unwrap(Msisdn.parse(raw));

export function aUser(
  overrides: Partial<{ id: string; email: string; name: string; createdAt: Date }> = {},
): User {
  return User.create({
    id: overrides.id ?? anId(),
    email: unwrap(Email.parse(overrides.email ?? `user-${unique()}@example.com`)),
    name: overrides.name ?? "Wanjiku",
    phone: null,
    passwordHash: "$argon2id$fake",
    createdAt: overrides.createdAt ?? T0,
  });
}

export function aBusiness(ownerId: string, overrides: Partial<{ id: string; name: string }> = {}): Business {
  return Business.create({
    id: overrides.id ?? anId(),
    ownerId,
    name: overrides.name ?? "Duka La Mama",
    createdAt: T0,
  });
}

export function aPaymentConfig(
  businessId: string,
  overrides: Partial<{
    method: "till" | "paybill";
    shortcode: string;
    storeNumber: string;
    accountReference: string;
  }> = {},
): PaymentConfig {
  const method = overrides.method ?? "paybill";
  return unwrap(
    PaymentConfig.create({
      id: anId(),
      businessId,
      method,
      shortcode: aShortcode(overrides.shortcode ?? "174379"),
      storeNumber: overrides.storeNumber === undefined ? null : aShortcode(overrides.storeNumber),
      accountReference: unwrapReference(
        overrides.accountReference ?? (method === "paybill" ? "DUKA1" : null),
      ),
      accountName: anAccountName("Duka La Mama"),
      passkey: sealedSecret("v1.sealed-passkey"),
      ownApp: null,
      createdAt: T0,
    }),
  );
}

export function aProduct(
  businessId: string,
  overrides: Partial<{ id: string; name: string; price: number; stock: number; sku: string }> = {},
): Product {
  return Product.create({
    id: overrides.id ?? anId(),
    businessId,
    name: unwrap(ProductName.parse(overrides.name ?? "Sugar 1kg")),
    price: unwrap(Kes.forPrice(overrides.price ?? 150)),
    stock: unwrap(StockLevel.parse(overrides.stock ?? 5)),
    sku: overrides.sku === undefined ? null : unwrap(Sku.parse(overrides.sku)),
    createdAt: T0,
  });
}

/** A sale line as tests write it: a product and a plain number. */
export type BuiltLine = { readonly product: Product; readonly quantity: number };

export const aQuantity = (quantity: number): Quantity => unwrap(Quantity.parse(quantity));
export const shillings = (amount: number): Kes => unwrap(Kes.of(amount));
export const aDescription = (text: string): SaleDescription | null => unwrap(SaleDescription.parse(text));

export const linesOf = (lines: readonly BuiltLine[]) =>
  lines.map((line) => ({ product: line.product, quantity: aQuantity(line.quantity) }));

const optionalAmount = (amount: number | undefined) =>
  amount === undefined ? {} : { amount: unwrap(Kes.forPush(amount)) };

const references = new RandomReferenceGenerator();

/** A random sale reference: tests that need a known one pass their own. */
export const aReference = (): SaleReference => references.next();

export function aSale(
  businessId: string,
  overrides: Partial<{
    id: string;
    amount: number;
    lines: BuiltLine[];
    paymentConfigId: string;
    phone: Msisdn;
    holdExpiresAt: Date;
    createdAt: Date;
    callbackTokenHash: string;
    reference: SaleReference;
  }> = {},
): Sale {
  return unwrap(
    Sale.create({
      id: overrides.id ?? anId(),
      businessId,
      reference: overrides.reference ?? aReference(),
      paymentConfigId: overrides.paymentConfigId ?? anId(),
      phone: overrides.phone ?? aPhone(),
      ...optionalAmount(overrides.lines === undefined ? (overrides.amount ?? 100) : overrides.amount),
      ...(overrides.lines === undefined ? {} : { lines: linesOf(overrides.lines) }),
      callbackTokenHash: overrides.callbackTokenHash ?? `hash-${unique()}`,
      createdAt: overrides.createdAt ?? T0,
      holdExpiresAt: overrides.holdExpiresAt ?? new Date(T0.getTime() + 300_000),
    }),
  );
}

export function aWalletPurchase(
  userId: string,
  overrides: Partial<{
    id: string;
    amount: number;
    phone: Msisdn;
    createdAt: Date;
    tokensPerKes: number;
    callbackTokenHash: string;
  }> = {},
): WalletPurchase {
  return unwrap(
    WalletPurchase.create({
      id: overrides.id ?? anId(),
      userId,
      amount: unwrap(Kes.forPush(overrides.amount ?? 100)),
      phone: overrides.phone ?? aPhone(),
      tokensPerKes: overrides.tokensPerKes ?? 1,
      callbackTokenHash: overrides.callbackTokenHash ?? `hash-${unique()}`,
      createdAt: overrides.createdAt ?? T0,
    }),
  );
}

export function aPayoutConfig(
  businessId: string,
  overrides: Partial<{ shortcode: string; initiatorName: string; ownApp: boolean }> = {},
): PayoutConfig {
  return unwrap(
    PayoutConfig.create({
      id: anId(),
      businessId,
      shortcode: aShortcode(overrides.shortcode ?? "600996"),
      initiatorName: unwrap(InitiatorName.parse(overrides.initiatorName ?? "testapi")),
      initiatorPassword: sealedSecret("v1.sealed-initiator-password"),
      ownApp:
        overrides.ownApp === true
          ? { consumerKey: "ck-own-app", consumerSecret: sealedSecret("v1.sealed-consumer-secret") }
          : null,
      createdAt: T0,
    }),
  );
}

export function aPayout(
  businessId: string,
  requestedBy: string,
  overrides: Partial<{ amount: number; phone: Msisdn; payoutConfigId: string; createdAt: Date }> = {},
): Payout {
  return Payout.create({
    id: anId(),
    businessId,
    requestedBy,
    payoutConfigId: overrides.payoutConfigId ?? anId(),
    amount: unwrap(Kes.forPayout(overrides.amount ?? 500)),
    phone: overrides.phone ?? aPhone(),
    originatorConversationId: `payme-${unique()}`,
    callbackTokenHash: `hash-${unique()}`,
    createdAt: overrides.createdAt ?? T0,
  });
}

/** The owner of a business asking to do `permission` there: what a route hands a use case. */
export const asOwner = (userId: string, businessId: string, permission: Permission): Access => ({
  actor: userActor(userId, [{ businessId, role: "owner" }]),
  permission,
});

/** A pending Transaction Status look-up of receipt SBK4QUB1VA, its result URL's token hashed to `tokenHash`. */
export const aStatusQuery = (businessId: string, tokenHash = `hash-${anId()}`): StatusQuery => ({
  id: anId(),
  businessId,
  tokenHash,
  kind: "transaction_status",
  receipt: "SBK4QUB1VA",
  status: "pending",
  transaction: null,
  resultCode: null,
  failureReason: null,
  createdAt: T0,
  completedAt: null,
});
