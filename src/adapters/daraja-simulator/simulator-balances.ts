/**
 * The simulated M-Pesa balance of each shortcode, moved by the simulator's own transactions: a paid STK push
 * credits its BusinessShortCode, a C2B payment the shortcode paid, and a B2C payment whose money moved debits its
 * PartyA (a reversal, when there is one, moves it back). Money moves on the Utility Account, as on a
 * paybill or till that also pays out; every shortcode starts at zero, and the simulator lets a payout take it
 * below zero rather than refuse (a real account would refuse with insufficient funds). Whole shillings only.
 */
export class SimulatorBalances {
  private readonly utility = new Map<string, number>();

  /** Adds a customer's payment to the shortcode; answers the new balance. */
  credit(shortcode: string, amount: number): number {
    const next = (this.utility.get(shortcode) ?? 0) + amount;
    this.utility.set(shortcode, next);
    return next;
  }

  /** Takes a payout (or a reversal) from the shortcode; answers the new balance. */
  debit(shortcode: string, amount: number): number {
    return this.credit(shortcode, -amount);
  }

  /** The Utility Account's balance, in shillings. */
  utilityOf(shortcode: string): number {
    return this.utility.get(shortcode) ?? 0;
  }

  /**
   * Account Balance's `AccountBalance` string for the shortcode, as Daraja writes it: each account as
   * `Name|Currency|Current|Available|Reserved|Uncleared`, joined by `&`.
   */
  balanceString(shortcode: string): string {
    const utility = figure(this.utilityOf(shortcode));
    const zero = figure(0);
    return [
      `Working Account|KES|${zero}|${zero}|${zero}|${zero}`,
      `Float Account|KES|${zero}|${zero}|${zero}|${zero}`,
      `Utility Account|KES|${utility}|${utility}|${zero}|${zero}`,
      `Charges Paid Account|KES|${zero}|${zero}|${zero}|${zero}`,
      `Organization Settlement Account|KES|${zero}|${zero}|${zero}|${zero}`,
    ].join("&");
  }

  reset(): void {
    this.utility.clear();
  }
}

/** Shillings as Daraja writes a balance: two decimals. */
export function figure(shillings: number): string {
  return shillings.toFixed(2);
}
