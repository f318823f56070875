import * as v from "valibot";
import { routeDoc } from "../http/openapi/route-docs.ts";

/**
 * How the server-rendered pages describe themselves in the OpenAPI document: HTML for people, on the same app,
 * with a session cookie instead of a bearer token.
 */

const TAG = "Web pages";

/** A page a browser gets; "cookie" when it needs the session. */
export const htmlPageDoc = (summary: string, description: string, auth: false | "cookie" = "cookie") =>
  routeDoc({
    tag: TAG,
    summary,
    description,
    auth,
    success: { status: 200, description: "An HTML page.", schema: v.string(), contentType: "text/html" },
  });

/** A redirect, with no page of its own. */
export const redirectDoc = (summary: string, description: string, to: string) =>
  routeDoc({
    tag: TAG,
    summary,
    description,
    auth: false,
    success: { status: 303, description: `To ${to}.` },
  });

/** A form a page posts. */
export const formDoc = (summary: string, description: string, auth: false | "cookie" = "cookie") =>
  routeDoc({
    tag: TAG,
    summary,
    description: `${description} Forms are checked against cross-site requests (same origin, and a per-session token once signed in).`,
    auth,
    body: v.record(v.string(), v.string()),
    bodyType: "application/x-www-form-urlencoded",
    success: {
      status: 303,
      description: "On to the next page; a form with mistakes is shown again, beside the fields.",
    },
  });

/** A status endpoint the pages poll. */
export const statusDoc = (summary: string) =>
  routeDoc({
    tag: TAG,
    summary,
    description: "Polled by the pages for live status; needs the session cookie and the X-CSRF-Token header.",
    auth: "cookie",
    success: {
      status: 200,
      description: "The current status.",
      schema: v.looseObject({ status: v.string() }),
    },
    problems: [404],
  });
