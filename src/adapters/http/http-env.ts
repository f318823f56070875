import type { Logger } from "pino";

/** What every request carries through the Hono app. */
export type HttpEnv = {
  Variables: {
    requestId: string;
    /** The request's logger: every line carries its request id. */
    log: Logger;
  };
};
