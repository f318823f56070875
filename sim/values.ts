import type { InvalidInput } from "../src/domain/invalid-value.ts";
import { Kes } from "../src/domain/kes.ts";
import { Msisdn } from "../src/domain/msisdn.ts";
import { ProductName } from "../src/domain/product-name.ts";
import { Quantity } from "../src/domain/quantity.ts";
import type { Result } from "../src/domain/result.ts";
import { StockLevel } from "../src/domain/stock-level.ts";

/**
 * The simulation's inputs as the use cases take them: parsed, as a route parses a request. A value the
 * simulation itself chose wrongly is a bug in the simulation, so it throws.
 */
const parsed = <T>(result: Result<T, InvalidInput>): T => {
  if (!result.ok) {
    throw new Error(`the simulation chose a value that breaks a rule: ${JSON.stringify(result.error)}`);
  }
  return result.value;
};

export const phoneOf = (text: string): Msisdn => parsed(Msisdn.parse(text));
export const pushAmountOf = (amount: number): Kes => parsed(Kes.forPush(amount));
export const payoutAmountOf = (amount: number): Kes => parsed(Kes.forPayout(amount));
export const priceOf = (amount: number): Kes => parsed(Kes.forPrice(amount));
export const quantityOf = (units: number): Quantity => parsed(Quantity.parse(units));
export const stockOf = (units: number): StockLevel => parsed(StockLevel.parse(units));
export const productNameOf = (name: string): ProductName => parsed(ProductName.parse(name));
