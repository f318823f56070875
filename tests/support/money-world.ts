import { buildWorld } from "../../sim/world.ts";
import type { StkCallback } from "../../src/application/shared/daraja-notifications.ts";

/**
 * The money use cases over in-memory adapters (see sim/world.ts), with a business owner, a wallet buyer, a
 * business with a paybill and a payout config, and one product (5 in stock at KES 50). Milliseconds to build.
 */
export async function moneyWorld() {
  const world = buildWorld();
  const owner = await world.seed.user("Owner");
  const buyer = await world.seed.user("Buyer");
  const { business, config, payoutConfig } = await world.seed.business(owner.id);
  const product = await world.seed.product(business.id, { stock: 5, price: 50 });
  const { tables, gateway } = world;
  return {
    ...world,
    owner,
    buyer,
    business,
    config,
    payoutConfig,
    product,
    /** The callback token of the n-th STK push sent (the last one by default). */
    pushToken(n = -1): string {
      const request = gateway.script.stkPush.requests.at(n);
      if (request === undefined) {
        throw new Error("no push was sent");
      }
      return request.callbackUrl.slice(request.callbackUrl.lastIndexOf("/") + 1);
    },
    /** The token in the result URL of the n-th B2C request sent (the last one by default). */
    payoutToken(n = -1): string {
      const request = gateway.script.b2cPayment.requests.at(n);
      if (request === undefined) {
        throw new Error("no B2C request was sent");
      }
      return request.resultUrl.slice(request.resultUrl.lastIndexOf("/") + 1);
    },
    stock() {
      const row = tables.products.get(product.id);
      return { stock: row?.stock, reserved: row?.reserved };
    },
    ledgerTokens(): number {
      return [...tables.walletLedger.values()].reduce((sum, entry) => sum + entry.tokens, 0);
    },
    audits() {
      return [...tables.callbacks.values()].map((record) => record.disposition);
    },
  };
}

export type MoneyWorld = Awaited<ReturnType<typeof moneyWorld>>;

/** An STK callback as Daraja sends it: paid in full from 254712000001 by default. */
export function stkCallback(checkoutRequestId: string, overrides: Partial<StkCallback> = {}): StkCallback {
  const paid = (overrides.resultCode ?? "0") === "0";
  return {
    merchantRequestId: "29115-000001",
    checkoutRequestId,
    resultCode: "0",
    resultDesc: paid ? "The service request is processed successfully." : "Request cancelled by user",
    amount: paid ? 100 : null,
    mpesaReceipt: paid ? "UAB1234567" : null,
    phone: paid ? "254712000001" : null,
    transactionDate: paid ? "20260105090000" : null,
    ...overrides,
  };
}
