import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.d.ts";

export type { components, operations, paths };

/** The typed client: `client.GET("/api/sales/{saleId}", { params: { path: { saleId } } })`, and so on. */
export type PayMeClient = Client<paths>;

/** A problem+json error body, as every PayMe error is answered (`code` is stable). */
export type Problem = components["schemas"]["Problem"];

export type PayMeClientOptions = Omit<ClientOptions, "baseUrl"> & {
  /** Where PayMe runs, such as `http://localhost:3000` (no trailing path). */
  readonly baseUrl: string;
  /**
   * The credential sent as `Authorization: Bearer …`: a user's JWT from `/auth/sign-in`, or a business API key
   * (`sk_test_…`, `sk_live_…`). A function is asked before every request, so a token can be swapped in later.
   */
  readonly credential?: string | (() => string | undefined);
};

/**
 * A client for PayMe's API, typed by its OpenAPI document. Paths, parameters, bodies and answers are checked by
 * TypeScript; the answers themselves are not validated at run time.
 */
export function createPayMeClient(options: PayMeClientOptions): PayMeClient {
  const { credential, baseUrl, ...rest } = options;
  const client = createClient<paths>({ ...rest, baseUrl: baseUrl.replace(/\/+$/, "") });
  if (credential !== undefined) {
    client.use(bearer(credential));
  }
  return client;
}

function bearer(credential: string | (() => string | undefined)): Middleware {
  return {
    onRequest({ request }) {
      const value = typeof credential === "function" ? credential() : credential;
      if (value !== undefined && !request.headers.has("authorization")) {
        request.headers.set("authorization", `Bearer ${value}`);
      }
      return request;
    },
  };
}

/**
 * A fresh `Idempotency-Key` for a request that moves money (a sale, a payout, a refund). Keep it with the order
 * and send the same key again when you retry after a timeout, so the money moves once.
 */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
