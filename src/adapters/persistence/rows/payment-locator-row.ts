import { EntitySchema } from "@mikro-orm/core";
import type { LocatorChannel } from "../../../application/ports/payment-locator-repository.ts";

export interface PaymentLocatorRow {
  channel: LocatorChannel;
  key: string;
  kind: string;
  paymentId: string;
}

/**
 * Which payment a key Daraja sends back belongs to, whatever its table: one primary-key read finds it. No foreign
 * key: `payment_id` points into the table its `kind` names.
 */
export const PaymentLocatorSchema = new EntitySchema<PaymentLocatorRow>({
  name: "PaymentLocatorRow",
  tableName: "payment_locators",
  properties: {
    channel: { type: "text", primary: true },
    key: { type: "text", primary: true },
    kind: { type: "text" },
    paymentId: { type: "uuid" },
  },
});
