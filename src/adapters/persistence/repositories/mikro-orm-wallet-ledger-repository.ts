import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import type { WalletLedgerRepository } from "../../../application/ports/wallet-ledger-repository.ts";
import type { WalletLedgerEntry } from "../../../domain/wallet-ledger-entry.ts";
import {
  ledgerEntryToDomain,
  ledgerEntryToRow,
  WalletLedgerEntrySchema,
} from "../rows/wallet-ledger-entry-row.ts";
import { PAGE_ORDER, pageWhere, READ, toPage } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmWalletLedgerRepository implements WalletLedgerRepository {
  constructor(
    private readonly em: SqlEntityManager,
    /** A group commit's batch, which inserts the rows of all its settlements in one statement. */
    private readonly batch?: SettlementBatch,
  ) {}

  async append(entry: WalletLedgerEntry): Promise<void> {
    if (this.batch !== undefined) {
      this.batch.insert(WalletLedgerEntrySchema as never, ledgerEntryToRow(entry) as never);
      return;
    }
    await insertRow(this.em, WalletLedgerEntrySchema, ledgerEntryToRow(entry));
  }

  async balanceOf(userId: string): Promise<number> {
    const rows = await this.em.execute<{ balance: string | number }[]>(
      "select coalesce(sum(tokens), 0) as balance from wallet_ledger_entries where user_id = ?",
      [userId],
    );
    return Number(rows[0]?.balance ?? 0);
  }

  async findBySource(source: string): Promise<WalletLedgerEntry | null> {
    const row = await this.em.findOne(WalletLedgerEntrySchema, { source }, READ);
    return row === null ? null : ledgerEntryToDomain(row);
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<WalletLedgerEntry>> {
    const rows = await this.em.find(
      WalletLedgerEntrySchema,
      { userId, ...pageWhere(page) },
      { ...READ, ...PAGE_ORDER, limit: page.limit + 1 },
    );
    return toPage(rows, page, ledgerEntryToDomain);
  }
}
