import type { Context } from "hono";
import { htmlPage } from "./html-page.ts";
import { MessagePage } from "./pages/message-page.tsx";
import type { WebEnv } from "./web-env.ts";

/** A form about a business that is not the user's (or no longer exists): 404, as the API answers it. */
export function notYourBusiness(c: Context<WebEnv>): Response | Promise<Response> {
  return htmlPage(
    c,
    <MessagePage
      title="Business not found"
      message="This business is not one of yours, or no longer exists."
      session={c.var.session}
      link={{ href: "/dashboard", text: "Back to the dashboard" }}
    />,
    404,
  );
}
