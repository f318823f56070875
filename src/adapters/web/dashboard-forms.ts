import type { CreateProductCommand } from "../../application/sales/create-product.ts";
import type { InitiateSaleCommand, SaleItemRequest } from "../../application/sales/initiate-sale.ts";
import type { Access } from "../../application/shared/actor.ts";
import type { WalletPurchaseCommand } from "../../application/wallet/initiate-wallet-purchase.ts";
import { type InvalidInput, mergeInvalid, validateAll } from "../../domain/invalid-value.ts";
import { Kes } from "../../domain/kes.ts";
import { Msisdn } from "../../domain/msisdn.ts";
import { ProductName } from "../../domain/product-name.ts";
import { Quantity } from "../../domain/quantity.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { SaleDescription } from "../../domain/sale-description.ts";
import { Sku } from "../../domain/sku.ts";
import { StockLevel } from "../../domain/stock-level.ts";
import type { FormValues } from "./form-values.ts";

/** The dashboard's "Buy tokens" form, parsed once into the command the API's route builds too. */
export function walletPurchaseCommandFrom(
  form: FormValues,
  who: { readonly userId: string },
): Result<WalletPurchaseCommand, InvalidInput> {
  const parsed = validateAll({
    phone: Msisdn.parse(form.text("phone")),
    amount: Kes.forPush(form.number("amount")),
  });
  return parsed.ok ? ok({ ...who, ...parsed.value }) : parsed;
}

type Who = { readonly access: Access; readonly businessId: string };

/** The dashboard's "Add a product" form, parsed once into the command the API's route builds too. */
export function productCommandFrom(form: FormValues, who: Who): Result<CreateProductCommand, InvalidInput> {
  const sku = form.optional("sku");
  const parsed = validateAll({
    name: ProductName.parse(form.text("name")),
    price: Kes.forPrice(form.number("price")),
    stock: StockLevel.parse(form.number("stock")),
    sku: sku === undefined ? ok(null) : Sku.parse(sku),
  });
  return parsed.ok ? ok({ ...who, ...parsed.value }) : parsed;
}

/** A line typed on the charge form: the product whose quantity box it is, and what was typed. */
export type TypedLine = { readonly productId: string; readonly quantity: number | string | undefined };

/**
 * The dashboard's "Charge a customer" form, parsed once into the command the API's route builds too. Each
 * line's error is named `items.N.quantity`, as the API names it.
 */
export function chargeCommandFrom(
  form: FormValues,
  lines: readonly TypedLine[],
  who: Who,
): Result<InitiateSaleCommand, InvalidInput> {
  const amount = form.number("amount");
  const parsed = validateAll({
    phone: Msisdn.parse(form.text("phone")),
    amount: amount === undefined ? ok(undefined) : Kes.forPush(amount),
    description: SaleDescription.parse(form.optional("description")),
  });
  const items: SaleItemRequest[] = [];
  const wrong: InvalidInput[] = parsed.ok ? [] : [parsed.error];
  lines.forEach((line, index) => {
    const quantity = Quantity.parse(line.quantity, `items.${index}.quantity`);
    if (quantity.ok) {
      items.push({ productId: line.productId, quantity: quantity.value });
    } else {
      wrong.push(quantity.error);
    }
  });
  if (!parsed.ok || wrong.length > 0) {
    return err(mergeInvalid(wrong));
  }
  const { amount: kes, description } = parsed.value;
  return ok({
    ...who,
    phone: parsed.value.phone,
    ...(kes === undefined ? {} : { amount: kes }),
    ...(items.length === 0 ? {} : { items }),
    description,
  });
}
