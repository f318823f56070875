import type { Logger } from "pino";
import type { Access, Actor } from "../../application/shared/actor.ts";
import type { User } from "../../domain/user.ts";
import type { PathRedactor } from "./redact-path.ts";

/** What a request log line says about its caller: the user and their role, or the API key; never a secret. */
export type ActorLog = {
  readonly credential: "jwt" | "api_key";
  readonly userId?: string;
  readonly apiKeyId?: string;
  readonly role?: string;
};

/** What every request carries through the Hono app. */
export type HttpEnv = {
  Variables: {
    requestId: string;
    /** The request's logger: every line carries its request id. */
    log: Logger;
    /** Masks callback tokens in a path (MPESA_CALLBACK_URL's own path included), for logs and stored paths. */
    redactPath: PathRedactor;
    /** The request's own path, masked (see redactedPath). */
    redactedPath: string;
    /**
     * The signed-in user, on routes behind the bearer-token guard when the credential is a user's JWT. Routes an
     * API key may reach use `actor` instead.
     */
    user: User;
    /** Who is calling, on routes behind the bearer-token guard. */
    actor: Actor;
    /** The caller and the action the route stands for, set by the route's permission check (routeDoc). */
    access: Access;
    /** The caller as the request's log line names it. */
    actorLog: ActorLog;
    /**
     * What a route adds to the request's log line (a callback's audit record and disposition, say), in place of
     * a line of its own: one line per request is written, not two.
     */
    outcomeLog: Readonly<Record<string, string | number | boolean | null>>;
  };
};
