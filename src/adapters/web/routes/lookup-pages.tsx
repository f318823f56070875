import { Hono } from "hono";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import type { CheckBalance } from "../../../application/lookups/check-balance.ts";
import type { GetLookupQuery } from "../../../application/lookups/get-lookup-query.ts";
import type { LookUpTransaction } from "../../../application/lookups/look-up-transaction.ts";
import type { LookupError } from "../../../application/lookups/run-lookup.ts";
import type { Access } from "../../../application/shared/actor.ts";
import { may } from "../../../application/shared/authorize.ts";
import type { BalanceQuery, StatusQuery } from "../../../domain/lookup-query.ts";
import { RECEIPT_PATTERN } from "../../../domain/lookup-query.ts";
import type { Result } from "../../../domain/result.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { chooseBusiness, isId } from "../choose-business.ts";
import { Layout } from "../components/layout.tsx";
import { type Asked, BalancePanel, ReceiptLookup } from "../components/lookup-panels.tsx";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import { htmlPageDoc } from "../page-docs.ts";
import { notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type LookupPageDependencies = {
  readonly getAccount: GetAccount;
  readonly lookUpTransaction: LookUpTransaction;
  readonly checkBalance: CheckBalance;
  readonly getLookupQuery: GetLookupQuery;
  readonly guard: WebSessionGuard;
};

const PATH = "/dashboard/till";

/** A use case's answer as the page shows it: the query, or the problem's detail (never a stack or a secret). */
function asked<Q>(result: Result<Q, LookupError>): Asked<Q> {
  return result.ok
    ? { kind: "query", query: result.value }
    : { kind: "problem", message: problemFor(result.error).detail };
}

/**
 * The balance a page shows, read from its GET form: `?check=balance` asks M-Pesa now, `?balanceQuery=` shows a
 * query that was still waiting for M-Pesa's answer, and anything else asks nothing.
 */
export async function askedBalance(
  deps: Pick<LookupPageDependencies, "checkBalance" | "getLookupQuery">,
  access: Access,
  businessId: string,
  query: Readonly<Record<string, string>>,
): Promise<Asked<BalanceQuery>> {
  const balanceQuery = query.balanceQuery;
  if (query.check === "balance") {
    return asked(await deps.checkBalance.execute({ access, businessId }));
  }
  if (balanceQuery === undefined || !isId(balanceQuery)) {
    return { kind: "none" };
  }
  const found = await deps.getLookupQuery.execute({ access, id: balanceQuery, kind: "account_balance" });
  return found.ok && found.value.kind === "account_balance" && found.value.businessId === businessId
    ? { kind: "query", query: found.value }
    : { kind: "problem", message: "No such balance query." };
}

/**
 * `/dashboard/till`: the till's M-Pesa balance and a receipt look-up, for the roles that may look up (owners and
 * managers). Plain GET forms: `?check=balance` asks for the balance, `?receipt=` looks a receipt up, and
 * `?balanceQuery=` / `?statusQuery=` show a query that was still waiting for M-Pesa.
 */
export function lookupPages(deps: LookupPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  pages.get(
    PATH,
    htmlPageDoc(
      "Till balance and receipt look-up",
      "The business's M-Pesa balance (Account Balance) and a receipt look-up (Transaction Status), by plain GET forms.",
    ),
    deps.guard.page,
    async (c) => {
      const { session } = c.var;
      const account = await deps.getAccount.execute(session.user);
      const businesses = account.businesses.map((m) => m.business);
      const business = chooseBusiness(businesses, c.req.query("business"));
      if (business === undefined) {
        return notYourBusiness(c);
      }
      if (!may(session.actor, "transactions:read", business.id)) {
        return notAllowed(c, "see the till's balance or look receipts up");
      }
      const access = webAccess(session, "transactions:read");
      const businessId = business.id;

      const balance = await askedBalance(deps, access, businessId, c.req.query());

      let lookup: Asked<StatusQuery> = { kind: "none" };
      const typed = (c.req.query("receipt") ?? "").trim().toUpperCase();
      const statusQuery = c.req.query("statusQuery");
      if (typed !== "") {
        lookup = RECEIPT_PATTERN.test(typed)
          ? asked(await deps.lookUpTransaction.execute({ access, businessId, receipt: typed }))
          : { kind: "problem", message: "An M-Pesa receipt is 8 to 20 letters and digits, e.g. SBK4QUB1VA." };
      } else if (statusQuery !== undefined && isId(statusQuery)) {
        const found = await deps.getLookupQuery.execute({
          access,
          id: statusQuery,
          kind: "transaction_status",
        });
        lookup =
          found.ok && found.value.kind === "transaction_status" && found.value.businessId === businessId
            ? { kind: "query", query: found.value }
            : { kind: "problem", message: "No such look-up." };
      }
      const receipt = typed !== "" ? typed.slice(0, 20) : lookup.kind === "query" ? lookup.query.receipt : "";

      return htmlPage(
        c,
        <Layout
          title="Till"
          session={session}
          businessId={businessId}
          section="settings"
          switcher={{ businesses, current: business, action: PATH }}
        >
          <h1>Till</h1>
          <BalancePanel businessId={businessId} action={PATH} asked={balance} />
          <ReceiptLookup businessId={businessId} action={PATH} receipt={receipt} asked={lookup} />
        </Layout>,
      );
    },
  );
  return pages;
}
