import { type Context, Hono } from "hono";
import type { Logger } from "pino";
import type * as v from "valibot";
import { err, ok, type Result } from "../../../domain/result.ts";
import { TimeoutBody } from "../../daraja/parse-b2c-queue-timeout.ts";
import { ResultEnvelope } from "../../daraja/parse-b2c-result.ts";
import { readCallback } from "../callback-json.ts";
import type { HttpEnv } from "../http-env.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { redactedPath } from "../redact-path.ts";
import { CALLBACK_ACCEPTED, CallbackAcceptedSchema } from "./mpesa-callback-routes.ts";

/** Why a body is not the callback a path takes; `field` is the dotted path of the field at fault, if one is. */
type NotACallback = { readonly message: string; readonly field: string | null };

/** How a callback's body is read: into `T`, or why it is not one. */
export type CallbackReader<T> = (json: unknown) => Result<T, NotACallback>;

/** One callback path: how its body is read, and what the OpenAPI document says of it. */
export type TokenCallbackPath<C> = {
  readonly summary: string;
  readonly body: v.GenericSchema;
  readonly read: CallbackReader<C>;
};

/** A reader that makes a callback of what `read` read. */
export const reading =
  <T, C>(read: CallbackReader<T>, make: (value: T) => C): CallbackReader<C> =>
  (json) => {
    const parsed = read(json);
    return parsed.ok ? ok(make(parsed.value)) : err(parsed.error);
  };

/** A reader of both readings of a body, which is not a callback when either says so. */
export const bothReadings =
  <A, B>(first: CallbackReader<A>, second: CallbackReader<B>): CallbackReader<readonly [A, B]> =>
  (json) => {
    const a = first(json);
    if (!a.ok) {
      return a;
    }
    const b = second(json);
    return b.ok ? ok([a.value, b.value] as const) : b;
  };

/**
 * The result and queue-timeout paths Daraja posts one kind of request's answer to: `<base>/result/:token` (a
 * Result envelope) and `<base>/timeout/:token`, summarised "<name> result<about>" and "<name> queue
 * timeout<about>".
 */
export function resultAndTimeoutPaths<C>(
  base: string,
  name: string,
  readers: { readonly result: CallbackReader<C>; readonly timeout: CallbackReader<C> },
  about = "",
): Readonly<Record<string, TokenCallbackPath<C>>> {
  return {
    [`${base}/result/:token`]: {
      summary: `${name} result${about}`,
      body: ResultEnvelope,
      read: readers.result,
    },
    [`${base}/timeout/:token`]: {
      summary: `${name} queue timeout${about}`,
      body: TimeoutBody,
      read: readers.timeout,
    },
  };
}

/** What a family of callback paths says: the OpenAPI description of each, and the title of its 400 problem. */
export type CallbackWords = {
  /** Who posts it, and what its token identifies. */
  readonly description: string;
  /** The title of the 400 problem for a body that is not such a callback. */
  readonly notACallback: string;
};

/** What a receiver of per-target token callbacks answers (ReceivedTokenCallback's fields, as they are logged). */
type ReceivedCallback = {
  readonly recordId: string;
  readonly trusted: boolean;
  readonly disposition: string;
  readonly paymentRef: string | null;
};

/** The log line of a received callback: its kind, audit record, whether it was trusted and what became of it. */
export const logReceivedCallback =
  (message: string) =>
  (log: Logger, callback: { readonly kind: string }, received: ReceivedCallback): void =>
    log.info(
      {
        kind: callback.kind,
        recordId: received.recordId,
        trusted: received.trusted,
        disposition: received.disposition,
        paymentRef: received.paymentRef,
      },
      message,
    );

/**
 * Safaricom's callbacks on per-target token paths (`…/:token`), public: malformed JSON, or JSON that is not such
 * a callback, gets 400 problem+json; anything else gets 200 Accepted once `receiver` has stored and, when
 * trusted, applied it (duplicates and unknown tokens included), and `log` has said what became of it.
 */
export function tokenCallbackRoutes<C, R>(
  receiver: {
    readonly execute: (input: {
      readonly token: string;
      readonly callback: C;
      readonly body: unknown;
      /** The request path, token masked. */
      readonly path: string;
    }) => Promise<R>;
  },
  paths: Readonly<Record<string, TokenCallbackPath<C>>>,
  words: CallbackWords,
  log: (log: Logger, callback: C, received: R) => void,
): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();
  for (const [path, { read, summary, body: bodySchema }] of Object.entries(paths)) {
    routes.post(
      path,
      routeDoc({
        tag: "Safaricom callbacks",
        summary,
        description: words.description,
        auth: false,
        body: bodySchema,
        success: {
          status: 200,
          description: "Received (duplicates and unknown tokens too).",
          schema: CallbackAcceptedSchema,
        },
        // Neither processed nor spooled (the spool is full): not acknowledged, so that Safaricom sends it again.
        problems: [503],
      }),
      async (c: Context<HttpEnv>) => {
        const parsed = await readCallback(c, read, { title: words.notACallback, wholePath: "Result" });
        if (!parsed.ok) {
          return parsed.problem;
        }
        const { body, callback } = parsed;
        const received = await receiver.execute({
          token: c.req.param("token") ?? "",
          callback,
          body,
          path: redactedPath(c),
        });
        log(c.var.log, callback, received);
        return c.json(CALLBACK_ACCEPTED);
      },
    );
  }
  return routes;
}
