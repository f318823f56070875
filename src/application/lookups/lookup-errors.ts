import type { GatewayFailure } from "../ports/payment-gateway.ts";

/** The payment config has no initiator (API operator), which Transaction Status and Account Balance need. */
export type InitiatorMissing = { readonly type: "initiator_missing" };

/** Daraja definitely refused the query, or could not be reached before it started: nothing was asked. */
export type LookupRefused = { readonly type: "lookup_refused"; readonly failure: GatewayFailure };
