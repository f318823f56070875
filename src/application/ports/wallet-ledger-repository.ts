import type { WalletLedgerEntry } from "../../domain/wallet-ledger-entry.ts";
import type { Page, PageRequest } from "./page.ts";

/** The token ledger. An entry's source is unique: a second entry for one cause throws UniqueViolation. */
export interface WalletLedgerRepository {
  append(entry: WalletLedgerEntry): Promise<void>;
  /** The sum of the user's entries; 0 with none. */
  balanceOf(userId: string): Promise<number>;
  findBySource(source: string): Promise<WalletLedgerEntry | null>;
  listByUser(userId: string, page: PageRequest): Promise<Page<WalletLedgerEntry>>;
}
