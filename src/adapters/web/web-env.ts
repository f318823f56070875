import type { UserActor } from "../../application/shared/actor.ts";
import type { User } from "../../domain/user.ts";
import type { HttpEnv } from "../http/http-env.ts";

/** The signed-in browser: its user, the JWT from its cookie, and the CSRF token its forms must carry. */
export type WebSession = {
  readonly user: User;
  /** The user with their memberships, read with the session on this request: pages ask `authorize` about it. */
  readonly actor: UserActor;
  readonly token: string;
  readonly csrfToken: string;
};

/** What a request to the web pages carries: everything an API request does, plus the browser session. */
export type WebEnv = {
  Variables: HttpEnv["Variables"] & { session: WebSession };
};
