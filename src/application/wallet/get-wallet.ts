import type { WalletLedgerEntry } from "../../domain/wallet-ledger-entry.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

export type Wallet = { readonly balance: number; readonly transactions: Page<WalletLedgerEntry> };

/** A user's token balance and ledger, newest first. */
export class GetWallet {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"walletLedger"> }) {}

  execute(input: { readonly userId: string; readonly page: PageRequest }): Promise<Wallet> {
    return this.deps.uow.run(async (r) => ({
      balance: await r.walletLedger.balanceOf(input.userId),
      transactions: await r.walletLedger.listByUser(input.userId, input.page),
    }));
  }
}
