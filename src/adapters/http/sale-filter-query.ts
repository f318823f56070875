import * as v from "valibot";
import type { SaleFilter } from "../../application/ports/sale-repository.ts";
import { Msisdn } from "../../domain/msisdn.ts";
import { PAYMENT_STATUSES } from "../../domain/stk-payment.ts";
import { domainValue } from "./domain-value.ts";
import { fromQuery, toQuery } from "./eat-time.ts";
import { searchText } from "./schemas.ts";

/** The longest `?q=` a history search takes. */
export const SEARCH_MAX = 64;

const RECEIPT_RULE = "must be an M-Pesa receipt: 6 to 20 letters and digits";

/** The filters of a sales history (`?status=&from=&to=&phone=&receipt=&q=`), as the list and the export read them. */
export const SALE_FILTER_ENTRIES = {
  status: v.optional(v.picklist(PAYMENT_STATUSES, `must be one of ${PAYMENT_STATUSES.join(", ")}`)),
  from: v.optional(fromQuery),
  to: v.optional(toQuery),
  phone: v.optional(
    domainValue((input) => Msisdn.parse(input), {
      type: "string",
      description: "Any Kenyan form: 0712345678, 712345678, 254712345678 or +254712345678.",
    }),
  ),
  receipt: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^[A-Za-z0-9]{6,20}$/, RECEIPT_RULE),
      v.transform((text) => text.toUpperCase()),
    ),
  ),
  q: v.optional(searchText(SEARCH_MAX)),
};

type ParsedFilter = {
  readonly status?: SaleFilter["status"];
  readonly from?: Date;
  readonly to?: Date;
  readonly phone?: Msisdn;
  readonly receipt?: string;
  readonly q?: string;
};

/** What a `to` before its `from` is told. */
export const TO_BEFORE_FROM = "must not be before from";

/** The repository's filter from the parsed query: a search that reads as a phone also finds that phone exactly. */
export function saleFilterOf(parsed: ParsedFilter): SaleFilter {
  const qPhone = parsed.q === undefined ? null : Msisdn.parse(parsed.q.replace(/[\s-]/g, ""));
  return {
    ...(parsed.status === undefined ? {} : { status: parsed.status }),
    ...(parsed.from === undefined ? {} : { from: parsed.from }),
    ...(parsed.to === undefined ? {} : { to: parsed.to }),
    ...(parsed.phone === undefined ? {} : { phone: parsed.phone.value }),
    ...(parsed.receipt === undefined ? {} : { receipt: parsed.receipt }),
    ...(parsed.q === undefined ? {} : { q: parsed.q }),
    ...(qPhone?.ok === true ? { qPhone: qPhone.value.value } : {}),
  };
}

/** What the OpenAPI document says of the filters. */
export const SALE_FILTER_QUERY_DOC = [
  { name: "status", description: "pending, paid, cancelled, failed or expired." },
  {
    name: "from",
    description:
      "Created at or after: an ISO date or time (EAT when no zone is given; a date is its midnight).",
  },
  { name: "to", description: "Created before: an ISO time, or a date, which includes that whole day (EAT)." },
  { name: "phone", description: "The customer's phone, in any accepted form." },
  { name: "receipt", description: "An M-Pesa receipt." },
  {
    name: "q",
    description: `Found in the reference, receipt, phone or description (any case, at most ${SEARCH_MAX}).`,
  },
];
