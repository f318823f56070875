import type { Hono } from "hono";
import type { HttpEnv } from "../../src/adapters/http/http-env.ts";

/**
 * A browser as far as app.request() can be one: it keeps the session cookie, and its form posts say they come
 * from the page's own origin (Origin and Sec-Fetch-Site), as a browser's do, unless a test says otherwise.
 */
export class WebClient {
  cookie: string | null = null;

  constructor(
    private readonly app: Hono<HttpEnv>,
    readonly origin = "http://localhost",
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.remember(
      await this.app.request(`${this.origin}${path}`, { headers: { ...this.cookieHeader(), ...headers } }),
    );
  }

  async post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.remember(
      await this.app.request(`${this.origin}${path}`, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: this.origin,
          "Sec-Fetch-Site": "same-origin",
          ...this.cookieHeader(),
          ...headers,
        },
      }),
    );
  }

  /** Signs a new person up through the sign-up page; answers the page's CSRF token and business id. */
  async signUp(
    fields: Record<string, string> = {},
  ): Promise<{ csrf: string; businessId: string; email: string }> {
    const email =
      fields.email ?? `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const response = await this.post("/sign-up", {
      name: "Njeri Mwangi",
      password: "a-long-enough-password",
      phone: "0712345678",
      ...fields,
      email,
    });
    if (response.status !== 303) {
      throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
    }
    const page = await (await this.get("/setup/payment-method")).text();
    return { csrf: hiddenField(page, "_csrf"), businessId: hiddenField(page, "business"), email };
  }

  private cookieHeader(): Record<string, string> {
    return this.cookie === null ? {} : { Cookie: this.cookie };
  }

  private remember(response: Response): Response {
    const set = response.headers.get("set-cookie");
    if (set !== null) {
      const pair = set.split(";")[0] ?? "";
      this.cookie = /=$/.test(pair) || /Max-Age=0/i.test(set) ? null : pair;
    }
    return response;
  }
}

/** The value of the first hidden input of that name in a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name.replace(".", "\\.")}" value="([^"]*)"`).exec(
    html,
  );
  if (match?.[1] === undefined) {
    throw new Error(`no hidden field ${name} in the page`);
  }
  return match[1];
}
