import { createHash, randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { Clock } from "../../application/ports/clock.ts";
import type { IdempotencyStore } from "../../application/ports/idempotency-store.ts";
import type { FormValues } from "./form-values.ts";

const FIELD = "formKey";
const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a second submit waits for the first (which may be waiting on Daraja) before giving up. */
const WAIT_FOR_FIRST_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A form that sends a payment prompt (verify, buy tokens, charge) goes through at most once: each rendered form
 * carries a random `formKey`, and the same form submitted again with the same values (a double tap, the back
 * button and "resend") is answered with the first submit's redirect, sending no second prompt. The key is the
 * form key with a digest of the values, on the API's Idempotency-Key store, scoped to the user and the route;
 * a form changed before it is sent again is a new request. A refused submit (a validation error, M-Pesa's
 * refusal) saves nothing, so the corrected form can go.
 */
export class OncePerForm {
  static readonly FIELD = FIELD;

  constructor(private readonly deps: { readonly store: IdempotencyStore; readonly clock: Clock }) {}

  /** A fresh key for a form about to be rendered. */
  static newKey(): string {
    return randomUUID();
  }

  async run(
    c: Context,
    scope: {
      readonly userId: string;
      readonly route: string;
      /** Where to send a second submit if the first is still running after a while. */
      readonly whileRunning: string;
    },
    form: FormValues,
    send: () => Promise<Response>,
  ): Promise<Response> {
    const formKey = form.text(FIELD);
    if (!UUID.test(formKey)) {
      return send();
    }
    const digest = createHash("sha256")
      .update(
        JSON.stringify(
          form
            .names()
            .filter((name) => name !== FIELD && name !== "_csrf")
            .sort()
            .map((name) => [name, form.text(name)]),
        ),
      )
      .digest("base64url");
    const key = { userId: scope.userId, route: `web ${scope.route}`, key: `${formKey}.${digest}` };
    const giveUpAt = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const now = this.deps.clock.now();
      const claimed = await this.deps.store.claim(key, {
        requestHash: digest,
        now,
        expiresAt: new Date(now.getTime() + KEY_TTL_MS),
      });
      if (claimed.type === "replay") {
        return c.redirect(claimed.response.body, 303);
      }
      if (claimed.type === "claimed") {
        break;
      }
      // The first submit is still with M-Pesa (a double tap): the browser shows only this answer, so wait for
      // the first one's and give the same.
      if (Date.now() > giveUpAt) {
        return c.redirect(scope.whileRunning, 303);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      await this.deps.store.release(key);
      throw error;
    }
    const location = response.headers.get("location");
    if (response.status === 303 && location !== null) {
      await this.deps.store.complete(key, { status: 303, contentType: null, body: location });
    } else {
      await this.deps.store.release(key);
    }
    return response;
  }
}
