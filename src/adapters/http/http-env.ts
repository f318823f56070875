import type { Logger } from "pino";
import type { User } from "../../domain/user.ts";
import type { PathRedactor } from "./redact-path.ts";

/** What every request carries through the Hono app. */
export type HttpEnv = {
  Variables: {
    requestId: string;
    /** The request's logger: every line carries its request id. */
    log: Logger;
    /** Masks callback tokens in a path (MPESA_CALLBACK_URL's own path included), for logs and stored paths. */
    redactPath: PathRedactor;
    /** The signed-in user, on routes behind the bearer-token guard. */
    user: User;
  };
};
