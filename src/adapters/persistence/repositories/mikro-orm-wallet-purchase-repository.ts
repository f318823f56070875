import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { WalletPurchaseRepository } from "../../../application/ports/wallet-purchase-repository.ts";
import type { WalletPurchase } from "../../../domain/wallet-purchase.ts";
import {
  type WalletPurchaseRow,
  WalletPurchaseSchema,
  walletPurchaseToDomain,
  walletPurchaseToRow,
} from "../rows/wallet-purchase-row.ts";
import { MikroOrmStkPaymentRepository } from "./mikro-orm-stk-payment-repository.ts";
import { READ } from "./mikro-orm-support.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmWalletPurchaseRepository
  extends MikroOrmStkPaymentRepository<WalletPurchase, WalletPurchaseRow>
  implements WalletPurchaseRepository
{
  constructor(em: SqlEntityManager, batch?: SettlementBatch) {
    super(em, WalletPurchaseSchema, walletPurchaseToRow, walletPurchaseToDomain, "wallet_purchase", batch);
  }

  async findOwned(id: string, userId: string): Promise<WalletPurchase | null> {
    const row = await this.em.findOne(WalletPurchaseSchema, { id, userId }, READ);
    return row === null ? null : walletPurchaseToDomain(row);
  }
}
