import type { Logger } from "pino";
import type { User } from "../../domain/user.ts";

/** What every request carries through the Hono app. */
export type HttpEnv = {
  Variables: {
    requestId: string;
    /** The request's logger: every line carries its request id. */
    log: Logger;
    /** The signed-in user, on routes behind the bearer-token guard. */
    user: User;
  };
};
