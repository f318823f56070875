import { describe, expect, it } from "vitest";
import { AccountReference } from "../../../src/domain/account-reference.ts";
import { Business } from "../../../src/domain/business.ts";
import { Kes } from "../../../src/domain/kes.ts";
import { PaymentConfig } from "../../../src/domain/payment-config.ts";
import { Payout } from "../../../src/domain/payout.ts";
import { PayoutRemarks } from "../../../src/domain/payout-remarks.ts";
import { sealedSecret } from "../../../src/domain/sealed-secret.ts";
import { User } from "../../../src/domain/user.ts";
import { WalletLedgerEntry } from "../../../src/domain/wallet-ledger-entry.ts";
import { WalletPurchase } from "../../../src/domain/wallet-purchase.ts";
import {
  aBusiness,
  aCredential,
  anAccountName,
  aPaymentConfig,
  aPayout,
  aPhone,
  aShortcode,
  aUser,
  aWalletPurchase,
  shillings,
  T0,
  unwrap,
} from "../../support/builders.ts";

const BUSINESS = "00000000-0000-7000-8000-00000000b001";
const at = new Date(T0.getTime() + 5_000);

describe("PaymentConfig", () => {
  const base = {
    id: "c1",
    businessId: BUSINESS,
    accountName: anAccountName("Duka"),
    storeNumber: null,
    accountReference: null,
    passkey: sealedSecret("sealed"),
    ownApp: null,
    createdAt: T0,
  };

  it("sends a paybill as both BusinessShortCode and PartyB, with CustomerPayBillOnline", () => {
    const config = unwrap(
      PaymentConfig.create({
        ...base,
        method: "paybill",
        shortcode: aShortcode("600100"),
        accountReference: unwrap(AccountReference.parse("INV1")),
      }),
    );
    expect(config.transactionType).toBe("CustomerPayBillOnline");
    expect(config.businessShortCode.value).toBe("600100");
    expect(config.partyB.value).toBe("600100");
  });

  it("sends a till as PartyB and its store number as BusinessShortCode, with CustomerBuyGoodsOnline", () => {
    const config = unwrap(
      PaymentConfig.create({
        ...base,
        method: "till",
        shortcode: aShortcode("5123456"),
        storeNumber: aShortcode("600200"),
      }),
    );
    expect(config.transactionType).toBe("CustomerBuyGoodsOnline");
    expect(config.businessShortCode.value).toBe("600200");
    expect(config.partyB.value).toBe("5123456");
    const plain = unwrap(PaymentConfig.create({ ...base, method: "till", shortcode: aShortcode("5123456") }));
    expect(plain.storeNumber.value).toBe("5123456");
  });

  it("needs an account reference for a paybill, and derives one from the business name for a till", () => {
    const paybill = PaymentConfig.create({ ...base, method: "paybill", shortcode: aShortcode("600100") });
    expect(!paybill.ok && paybill.error.errors[0]?.path).toBe("accountReference");
    const till = unwrap(PaymentConfig.create({ ...base, method: "till", shortcode: aShortcode("5123456") }));
    const reference = till.accountReferenceFor("Mama's Kiosk — Gikomba Market");
    expect(reference.ok && reference.value.value).toBe("MamasKioskGi");
  });

  it("refuses a store number on a paybill other than the paybill itself", () => {
    const paybill = {
      ...base,
      method: "paybill" as const,
      shortcode: aShortcode("600100"),
      accountReference: unwrap(AccountReference.parse("INV1")),
    };
    const other = PaymentConfig.create({ ...paybill, storeNumber: aShortcode("600200") });
    expect(!other.ok && other.error.errors.map((e) => e.path)).toEqual(["storeNumber"]);
    const itself = PaymentConfig.create({ ...paybill, storeNumber: aShortcode("600100") });
    expect(itself.ok && itself.value.businessShortCode.value).toBe("600100");
  });

  it("reads only till or paybill as a payment method", () => {
    expect(unwrap(PaymentConfig.parseMethod("till"))).toBe("till");
    expect(unwrap(PaymentConfig.parseMethod("paybill"))).toBe("paybill");
    const card = PaymentConfig.parseMethod("card");
    expect(!card.ok && card.error.errors).toEqual([
      { path: "paymentMethod", message: 'must be "till" or "paybill"' },
    ]);
  });

  it("takes an own Daraja app as a key and a secret together, or neither", () => {
    const key = aCredential("ck", "consumerKey");
    const secret = aCredential("cs", "consumerSecret");
    expect(unwrap(PaymentConfig.pairOwnApp(null, null))).toBeNull();
    const pair = unwrap(PaymentConfig.pairOwnApp(key, secret));
    expect(pair?.consumerKey.reveal()).toBe("ck");
    const keyOnly = PaymentConfig.pairOwnApp(key, null);
    expect(!keyOnly.ok && keyOnly.error.errors.map((e) => e.path)).toEqual(["consumerSecret"]);
    const secretOnly = PaymentConfig.pairOwnApp(null, secret);
    expect(!secretOnly.ok && secretOnly.error.errors.map((e) => e.path)).toEqual(["consumerKey"]);
  });

  it("starts active and unverified; deactivation is a one-way switch that leaves verification alone", () => {
    const config = aPaymentConfig(BUSINESS);
    expect([config.active, config.verified]).toEqual([true, false]);
    config.deactivate();
    expect([config.active, config.verified]).toEqual([false, false]);
  });
});

describe("Payout", () => {
  it("takes 10 to 250,000 and one of the three command ids", () => {
    const base = {
      id: "p",
      businessId: BUSINESS,
      requestedBy: "u",
      payoutConfigId: "pc",
      phone: aPhone(),
      originatorConversationId: "o",
      callbackTokenHash: "h",
      createdAt: T0,
    };
    expect([Kes.forPayout(9).ok, Kes.forPayout(250_001).ok]).toEqual([false, false]);
    const ten = unwrap(Kes.forPayout(10));
    const plain = Payout.create({ ...base, amount: ten });
    expect([plain.commandId, plain.remarks]).toEqual(["BusinessPayment", "Payout"]);
    const salary = Payout.create({
      ...base,
      amount: ten,
      commandId: unwrap(Payout.parseCommand("SalaryPayment")),
      remarks: unwrap(PayoutRemarks.parse("  March salary ")),
    });
    expect([salary.commandId, salary.remarks]).toEqual(["SalaryPayment", "March salary"]);
    const bad = Payout.parseCommand("BuyGoods");
    expect(!bad.ok && bad.error.errors[0]?.path).toBe("commandId");
    for (const remarks of ["x", "x".repeat(101), 12]) {
      expect(PayoutRemarks.parse(remarks).ok).toBe(false);
    }
  });

  it("runs pending → completed or failed, once", () => {
    const done = aPayout(BUSINESS, "u");
    expect(done.complete({ receipt: "UAV1234567", recipientName: "254712345678 - JANE DOE", at }).ok).toBe(
      true,
    );
    expect([done.status, done.mpesaReceipt, done.recipientName]).toEqual([
      "completed",
      "UAV1234567",
      "254712345678 - JANE DOE",
    ]);
    expect(done.complete({ receipt: "UAV1234567", recipientName: null, at }).ok).toBe(false);
    expect(done.fail({ resultCode: "2001", at }).ok).toBe(false);

    const failed = aPayout(BUSINESS, "u");
    expect(
      failed.fail({ resultCode: "2040", description: "Credit Party customer type can't be supported", at })
        .ok,
    ).toBe(true);
    expect([failed.status, failed.failureReason]).toEqual([
      "failed",
      "the recipient is not a registered M-Pesa customer",
    ]);
    // A success after a failure M-Pesa reported changes nothing but a flag, once.
    expect(unwrap(failed.complete({ receipt: "X", recipientName: null, at }))).toBe("flagged");
    expect([failed.status, failed.mpesaReceipt, failed.needsAttention]).toEqual(["failed", null, true]);
    expect(failed.complete({ receipt: "X", recipientName: null, at }).ok).toBe(false);
  });

  it("keeps what Daraja answered to the request: accepted, a duplicate (accepted earlier), or refused", () => {
    const accepted = aPayout(BUSINESS, "u");
    expect(accepted.pushOutcome).toBe("unknown");
    unwrap(accepted.recordAcceptance("AG_1"));
    expect([accepted.pushOutcome, accepted.conversationId]).toEqual(["accepted", "AG_1"]);

    const duplicate = aPayout(BUSINESS, "u");
    unwrap(duplicate.recordDuplicateAccepted());
    expect([duplicate.pushOutcome, duplicate.status]).toEqual(["accepted", "pending"]);

    const refused = aPayout(BUSINESS, "u");
    unwrap(refused.markRequestRefused("M-Pesa refused the phone number.", at));
    expect([refused.status, refused.pushOutcome, refused.resultCode, refused.failedLocally]).toEqual([
      "failed",
      "refused",
      null,
      true,
    ]);
    expect(refused.recordDuplicateAccepted().ok).toBe(false);
    // A result learns the conversation without changing what the request's answer was.
    const learned = aPayout(BUSINESS, "u");
    unwrap(learned.learnConversationId("AG_2"));
    expect(learned.pushOutcome).toBe("unknown");
  });

  it("completes a payout PayMe recorded refused when a trusted success comes: the money moved", () => {
    const refused = aPayout(BUSINESS, "u");
    unwrap(refused.markRequestRefused("M-Pesa refused the phone number.", at));
    expect(unwrap(refused.complete({ receipt: "UAV7654321", recipientName: null, at }))).toBe("completed");
    expect([refused.status, refused.mpesaReceipt, refused.needsAttention]).toEqual([
      "completed",
      "UAV7654321",
      true,
    ]);
    expect(refused.attentionReason).toMatch(/completed after it was recorded as failed/);

    const legacy = Payout.restore({
      ...aPayout(BUSINESS, "u").snapshot(),
      status: "failed",
      pushOutcome: null,
    });
    // A row refused before PayMe kept request outcomes is left as it is.
    expect(legacy.complete({ receipt: "UAV0000001", recipientName: null, at }).ok).toBe(false);
    expect([legacy.status, legacy.needsAttention]).toEqual(["failed", false]);
  });
});

describe("wallet ledger", () => {
  it("credits a paid purchase its tokens, sourced from the purchase", () => {
    const purchase = aWalletPurchase("u1", { amount: 250, tokensPerKes: 2 });
    expect(WalletLedgerEntry.creditFor(purchase, "e1", at).ok).toBe(false);
    unwrap(purchase.markPaid({ receipt: "R1", amount: 250, phone: null, at }));
    const entry = unwrap(WalletLedgerEntry.creditFor(purchase, "e1", at));
    expect([entry.userId, entry.tokens, entry.source]).toEqual(["u1", 500, `wallet_purchase:${purchase.id}`]);
  });

  it("takes only a rate at which the largest purchase's tokens fit the ledger's 32-bit column", () => {
    expect(WalletPurchase.TOKENS_PER_KES_MAX).toBe(8589);
    const largest = aWalletPurchase("u1", {
      amount: 250_000,
      tokensPerKes: WalletPurchase.TOKENS_PER_KES_MAX,
    });
    expect(largest.tokens).toBe(2_147_250_000);
    expect(largest.tokens).toBeLessThanOrEqual(2 ** 31 - 1);
    const tooMany = WalletPurchase.create({
      id: "w1",
      userId: "u1",
      amount: shillings(1),
      phone: aPhone(),
      tokensPerKes: WalletPurchase.TOKENS_PER_KES_MAX + 1,
      callbackTokenHash: "h",
      createdAt: T0,
    });
    expect(!tooMany.ok && tooMany.error.errors[0]?.path).toBe("tokensPerKes");
  });
});

describe("User and Business", () => {
  it("read their names and emails once, at the edge", () => {
    expect(User.parseName("  Amina  ")).toEqual({ ok: true, value: "Amina" });
    expect(Business.parseName(" Amina Salon ")).toEqual({ ok: true, value: "Amina Salon" });
    expect(Business.parseName("   ")).toMatchObject({ ok: false, error: { errors: [{ path: "name" }] } });
    expect(User.parseName("x".repeat(User.NAME_MAX + 1))).toMatchObject({ ok: false });
    const user = aUser({ email: "Amina@Example.com", name: "Amina" });
    expect([user.email.value, user.name]).toEqual(["amina@example.com", "Amina"]);
    const business = aBusiness(user.id, { name: "Amina Salon" });
    expect(business.isOwnedBy(user.id)).toBe(true);
    expect(business.isOwnedBy("someone-else")).toBe(false);
  });
});
