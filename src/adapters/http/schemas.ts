import * as v from "valibot";
import { Kes } from "../../domain/kes.ts";
import { Msisdn } from "../../domain/msisdn.ts";
import { domainValue } from "./domain-value.ts";

/** An id in a path or query: PayMe's ids are UUIDs. */
export const idParam = v.pipe(v.string("is required"), v.uuid("must be an id as PayMe issues them (a UUID)"));

/** A Kenyan mobile number in any form Msisdn reads, held as its 12-digit form. */
export const msisdnField = (description: string) =>
  domainValue((input) => Msisdn.parse(input), {
    type: "string",
    description: `${description} Any Kenyan form: 0712345678, 712345678, 254712345678 or +254712345678.`,
    examples: ["0712345678"],
  });

const shillings = (parse: (input: unknown) => ReturnType<typeof Kes.of>, min: number, max: number) =>
  domainValue(parse, {
    type: "integer",
    minimum: min,
    maximum: max,
    description: "Whole Kenyan shillings: M-Pesa has no cents.",
  });

/** What one STK push may ask for. */
export const pushAmount = shillings((input) => Kes.forPush(input), Kes.PUSH_MIN, Kes.PUSH_MAX);
/** The price of one item. */
export const priceAmount = shillings((input) => Kes.forPrice(input), Kes.PUSH_MIN, Kes.PUSH_MAX);
/** What one B2C payout may send. */
export const payoutAmount = shillings((input) => Kes.forPayout(input), Kes.PAYOUT_MIN, Kes.PAYOUT_MAX);
