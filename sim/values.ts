import { type Access, userActor } from "../src/application/shared/actor.ts";
import type { Permission } from "../src/application/shared/permissions.ts";
import { AccountName } from "../src/domain/account-name.ts";
import { AccountReference } from "../src/domain/account-reference.ts";
import { InitiatorName } from "../src/domain/initiator-name.ts";
import type { InvalidInput } from "../src/domain/invalid-value.ts";
import { Kes } from "../src/domain/kes.ts";
import { Msisdn } from "../src/domain/msisdn.ts";
import { ProductName } from "../src/domain/product-name.ts";
import { Quantity } from "../src/domain/quantity.ts";
import type { Result } from "../src/domain/result.ts";
import { Shortcode } from "../src/domain/shortcode.ts";
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
export const shortcodeOf = (text: string): Shortcode => parsed(Shortcode.parse(text));
export const accountReferenceOf = (text: string): AccountReference => parsed(AccountReference.parse(text));
export const accountNameOf = (text: string): AccountName => parsed(AccountName.parse(text));
export const initiatorNameOf = (text: string): InitiatorName => parsed(InitiatorName.parse(text));

/** The shop's owner asking to do `permission` in their shop, as a route hands it to a use case. */
export const asOwner = (userId: string, businessId: string, permission: Permission): Access => ({
  actor: userActor(userId, [{ businessId, role: "owner" }]),
  permission,
});
