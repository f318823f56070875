import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetWallet } from "../../../application/wallet/get-wallet.ts";
import type { GetWalletPurchase } from "../../../application/wallet/get-wallet-purchase.ts";
import type { InitiateWalletPurchase } from "../../../application/wallet/initiate-wallet-purchase.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { LedgerEntrySchema, page, WalletPurchaseSchema } from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PageQuery } from "../pagination.ts";
import { presentLedgerEntry, presentWalletPurchase } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams } from "../request-body.ts";
import { idParam, msisdnField, pushAmount } from "../schemas.ts";

export const WalletInitiateBody = v.object({
  phone: msisdnField("The phone that gets the M-Pesa prompt."),
  amount: pushAmount,
});

const PurchasePath = v.object({ purchaseId: idParam });

/** The user's wallet: buying tokens by STK push to PayMe's paybill, and reading the balance and ledger. */
export function walletRoutes(deps: {
  readonly initiateWalletPurchase: InitiateWalletPurchase;
  readonly getWalletPurchase: GetWalletPurchase;
  readonly getWallet: GetWallet;
  /** Idempotency-Key handling for a route, by its name. */
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post(
      "/api/wallet-payment/initiate",
      routeDoc({
        tag: "Wallet",
        summary: "Buy wallet tokens",
        permission: "account:use",
        description: "An STK push to PayMe's own paybill; the callback credits the tokens exactly once.",
        idempotent: true,
        readsJson: true,
        success: {
          status: 202,
          description:
            "Pushed (pushOutcome accepted), or Daraja's answer did not say whether the push started (pushOutcome unknown): pending either way; poll the purchase.",
          schema: v.object({ purchase: WalletPurchaseSchema }),
        },
        problems: [409, 422, 429, 502, 503],
      }),
      deps.idempotent("POST /api/wallet-payment/initiate"),
      jsonBody(WalletInitiateBody),
      async (c) => {
        const result = await deps.initiateWalletPurchase.execute({
          userId: c.var.user.id,
          ...c.req.valid("json"),
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(
          { purchaseId: result.value.id, status: result.value.status },
          "wallet purchase initiated",
        );
        return c.json({ purchase: presentWalletPurchase(result.value) }, 202);
      },
    )
    .get(
      "/api/wallet-payment/:purchaseId",
      routeDoc({
        tag: "Wallet",
        summary: "One of my purchases",
        permission: "account:use",
        success: {
          status: 200,
          description: "The purchase.",
          schema: v.object({ purchase: WalletPurchaseSchema }),
        },
        problems: [400, 404],
      }),
      pathParams(PurchasePath),
      async (c) => {
        const result = await deps.getWalletPurchase.execute({
          userId: c.var.user.id,
          purchaseId: c.req.valid("param").purchaseId,
        });
        return result.ok
          ? c.json({ purchase: presentWalletPurchase(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/wallet",
      routeDoc({
        tag: "Wallet",
        summary: "My token balance and ledger",
        permission: "account:use",
        query: PAGE_QUERY,
        success: {
          status: 200,
          description: "Balance, and ledger entries newest first.",
          schema: v.object({ balance: v.number(), ...page("transactions", LedgerEntrySchema).entries }),
        },
        problems: [400],
      }),
      queryParams(PageQuery),
      async (c) => {
        const wallet = await deps.getWallet.execute({ userId: c.var.user.id, page: c.req.valid("query") });
        return c.json({
          balance: wallet.balance,
          transactions: wallet.transactions.items.map(presentLedgerEntry),
          nextCursor: wallet.transactions.nextCursor,
        });
      },
    );
}
