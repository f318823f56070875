import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetWallet } from "../../../application/wallet/get-wallet.ts";
import type { GetWalletPurchase } from "../../../application/wallet/get-wallet-purchase.ts";
import type { InitiateWalletPurchase } from "../../../application/wallet/initiate-wallet-purchase.ts";
import { Kes } from "../../../domain/kes.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { readPage } from "../pagination.ts";
import { presentLedgerEntry, presentWalletPurchase } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { readBody, readParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

const PUSH_RANGE = `must be from ${Kes.PUSH_MIN} to ${Kes.PUSH_MAX.toLocaleString("en-US")} shillings`;

export const WalletInitiateBody = v.object({
  phone: v.pipe(
    v.string("is required, as a phone number such as 0712345678"),
    v.check((phone) => Msisdn.parse(phone).ok, "must be a Kenyan mobile number such as 0712345678"),
  ),
  amount: v.pipe(
    v.number("is required, as a whole number of shillings"),
    v.integer("must be whole shillings: M-Pesa has no cents"),
    v.minValue(Kes.PUSH_MIN, PUSH_RANGE),
    v.maxValue(Kes.PUSH_MAX, PUSH_RANGE),
  ),
});

/** The user's wallet: buying tokens by STK push to PayMe's paybill, and reading the balance and ledger. */
export function walletRoutes(deps: {
  readonly initiateWalletPurchase: InitiateWalletPurchase;
  readonly getWalletPurchase: GetWalletPurchase;
  readonly getWallet: GetWallet;
  /** Idempotency-Key handling for a route, by its name. */
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post("/api/wallet-payment/initiate", deps.idempotent("POST /api/wallet-payment/initiate"), async (c) => {
      const body = await readBody(c, WalletInitiateBody);
      if (!body.ok) {
        return body.error;
      }
      const result = await deps.initiateWalletPurchase.execute({ userId: c.var.user.id, ...body.value });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      c.var.log.info(
        { purchaseId: result.value.id, status: result.value.status },
        "wallet purchase initiated",
      );
      return c.json({ purchase: presentWalletPurchase(result.value) }, 202);
    })
    .get("/api/wallet-payment/:purchaseId", async (c) => {
      const params = readParams(c, v.object({ purchaseId: idParam }), c.req.param());
      if (!params.ok) {
        return params.error;
      }
      const result = await deps.getWalletPurchase.execute({
        userId: c.var.user.id,
        purchaseId: params.value.purchaseId,
      });
      return result.ok
        ? c.json({ purchase: presentWalletPurchase(result.value) })
        : problemResponse(c, problemFor(result.error));
    })
    .get("/api/wallet", async (c) => {
      const page = readPage(c);
      if (!page.ok) {
        return page.error;
      }
      const wallet = await deps.getWallet.execute({ userId: c.var.user.id, page: page.value });
      return c.json({
        balance: wallet.balance,
        transactions: wallet.transactions.items.map(presentLedgerEntry),
        nextCursor: wallet.transactions.nextCursor,
      });
    });
}
