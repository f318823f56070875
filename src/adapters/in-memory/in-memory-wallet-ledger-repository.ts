import type { Page, PageRequest } from "../../application/ports/page.ts";
import type { WalletLedgerRepository } from "../../application/ports/wallet-ledger-repository.ts";
import { WalletLedgerEntry } from "../../domain/wallet-ledger-entry.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { assertUnique, insertRow, pageOf } from "./table-helpers.ts";

export class InMemoryWalletLedgerRepository implements WalletLedgerRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async append(entry: WalletLedgerEntry): Promise<void> {
    const row = entry.snapshot();
    assertUnique(this.tables.walletLedger, row, "source", "wallet_ledger_entries_source_unique");
    insertRow(this.tables.walletLedger, row, "wallet_ledger_entries");
  }

  async balanceOf(userId: string): Promise<number> {
    let balance = 0;
    for (const row of this.tables.walletLedger.values()) {
      if (row.userId === userId) {
        balance += row.tokens;
      }
    }
    return balance;
  }

  async findBySource(source: string): Promise<WalletLedgerEntry | null> {
    for (const row of this.tables.walletLedger.values()) {
      if (row.source === source) {
        return WalletLedgerEntry.restore(row);
      }
    }
    return null;
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<WalletLedgerEntry>> {
    return pageOf(
      [...this.tables.walletLedger.values()].filter((row) => row.userId === userId),
      page,
      WalletLedgerEntry.restore,
    );
  }
}
