import type { FC } from "hono/jsx";
import { CsrfTokens } from "../csrf-tokens.ts";
import type { WebSession } from "../web-env.ts";

/** The session's CSRF token, which every signed-in form sends back. */
export const CsrfField: FC<{ readonly session: WebSession }> = ({ session }) => (
  <input type="hidden" name={CsrfTokens.FIELD} value={session.csrfToken} />
);
