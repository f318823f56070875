import type {
  AccountBalance,
  BalanceQuery,
  StatusQuery,
  TransactionDetails,
} from "../../domain/lookup-query.ts";

/** A transaction as the API shows it (`transaction`). */
export const presentTransaction = (transaction: TransactionDetails) => ({
  receipt: transaction.receipt,
  status: transaction.status,
  amount: transaction.amount,
  debitParty: transaction.debitParty,
  creditParty: transaction.creditParty,
  completedAt: transaction.completedAt?.toISOString() ?? null,
  ...(transaction.reasonType === null ? {} : { reasonType: transaction.reasonType }),
});

/** A balance as the API shows it (`balance`): the figures as Daraja wrote them. */
export const presentBalance = (balance: AccountBalance) => ({
  shortcode: balance.shortcode,
  accounts: balance.accounts.map((account) => ({
    name: account.name,
    currency: account.currency,
    available: account.available,
    reserved: account.reserved,
    uncleared: account.uncleared,
    total: account.total,
  })),
  at: balance.at.toISOString(),
});

const settledFields = (query: StatusQuery | BalanceQuery) => ({
  ...(query.resultCode === null ? {} : { resultCode: query.resultCode }),
  ...(query.failureReason === null ? {} : { failureReason: query.failureReason }),
  createdAt: query.createdAt.toISOString(),
  ...(query.completedAt === null ? {} : { completedAt: query.completedAt.toISOString() }),
});

/** A Transaction Status look-up as the API shows it (`statusQuery`); never its token. */
export const presentStatusQuery = (query: StatusQuery) => ({
  id: query.id,
  businessId: query.businessId,
  receipt: query.receipt,
  status: query.status,
  ...(query.transaction === null ? {} : { transaction: presentTransaction(query.transaction) }),
  ...settledFields(query),
});

/** An Account Balance query as the API shows it (`balanceQuery`); never its token. */
export const presentBalanceQuery = (query: BalanceQuery) => ({
  id: query.id,
  businessId: query.businessId,
  shortcode: query.shortcode,
  status: query.status,
  ...(query.balance === null ? {} : { balance: presentBalance(query.balance) }),
  ...settledFields(query),
});
