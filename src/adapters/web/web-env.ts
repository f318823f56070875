import type { User } from "../../domain/user.ts";
import type { HttpEnv } from "../http/http-env.ts";

/** The signed-in browser: its user, the JWT from its cookie, and the CSRF token its forms must carry. */
export type WebSession = {
  readonly user: User;
  readonly token: string;
  readonly csrfToken: string;
};

/** What a request to the web pages carries: everything an API request does, plus the browser session. */
export type WebEnv = {
  Variables: HttpEnv["Variables"] & { session: WebSession };
};
