import { err, ok, type Result } from "./result.ts";
import type { WalletPurchase } from "./wallet-purchase.ts";

export type LedgerEntryKind = "purchase_credit";

export type WalletLedgerEntryState = {
  readonly id: string;
  readonly userId: string;
  readonly kind: LedgerEntryKind;
  /** Signed token amount: credits are positive. */
  readonly tokens: number;
  /** What caused the entry, e.g. `wallet_purchase:<id>`. Unique: one cause, one entry, ever. */
  readonly source: string;
  readonly createdAt: Date;
};

export type NotCreditable = { readonly type: "not_creditable"; readonly reason: string };

/** One movement of a user's token balance. The balance is the sum of the entries. */
export class WalletLedgerEntry {
  private constructor(private readonly state: WalletLedgerEntryState) {}

  /** The credit a paid purchase earns. Its source is the purchase, so a second credit is impossible. */
  static creditFor(purchase: WalletPurchase, id: string, at: Date): Result<WalletLedgerEntry, NotCreditable> {
    if (purchase.status !== "paid") {
      return err({ type: "not_creditable", reason: `a ${purchase.status} purchase earns no tokens` });
    }
    return ok(
      new WalletLedgerEntry({
        id,
        userId: purchase.userId,
        kind: "purchase_credit",
        tokens: purchase.tokens,
        source: WalletLedgerEntry.sourceOf(purchase),
        createdAt: at,
      }),
    );
  }

  static sourceOf(purchase: WalletPurchase): string {
    return `wallet_purchase:${purchase.id}`;
  }

  static restore(state: WalletLedgerEntryState): WalletLedgerEntry {
    return new WalletLedgerEntry(state);
  }

  get id(): string {
    return this.state.id;
  }
  get userId(): string {
    return this.state.userId;
  }
  get kind(): LedgerEntryKind {
    return this.state.kind;
  }
  get tokens(): number {
    return this.state.tokens;
  }
  get source(): string {
    return this.state.source;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  /** A copy of the state, for repositories. */
  snapshot(): WalletLedgerEntryState {
    return { ...this.state };
  }
}
