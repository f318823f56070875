import type { Context } from "hono";
import { Hono } from "hono";
import * as v from "valibot";
import type { Authenticate } from "../../../application/authenticate.ts";
import type { GetAccount } from "../../../application/get-account.ts";
import { SETUP_URL } from "../../../application/setup-status.ts";
import type { SignIn } from "../../../application/sign-in.ts";
import type { SignUp } from "../../../application/sign-up.ts";
import type { AuthRateLimiter } from "../auth-rate-limiter.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { presentBusiness, presentUser } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { readBody } from "../request-body.ts";
import { requireUser } from "../require-user.ts";

const text = (max: number, what = "text") =>
  v.pipe(
    v.string(`is required, as ${what}`),
    v.check((value) => value.trim().length > 0, "must not be empty"),
    v.maxLength(max, `must be at most ${max} characters`),
  );

const password = v.pipe(
  v.string("is required"),
  v.minLength(8, "must be at least 8 characters"),
  v.maxLength(256, "must be at most 256 characters"),
);

export const SignUpBody = v.object({
  email: text(254, "an email address"),
  password,
  name: text(100),
  phone: v.optional(v.nullable(text(20, "a phone number"))),
  businessName: v.optional(v.nullable(text(100))),
});

export const SignInBody = v.object({
  email: text(254, "an email address"),
  password: v.pipe(v.string("is required"), v.maxLength(256, "must be at most 256 characters")),
});

export type AuthRouteDependencies = {
  readonly signUp: SignUp;
  readonly signIn: SignIn;
  readonly getAccount: GetAccount;
  readonly authenticate: Authenticate;
  readonly rateLimiter: AuthRateLimiter;
  readonly clientAddress: (c: Context) => string;
};

/** `/auth/sign-up`, `/auth/sign-in` and `/auth/me`. */
export function authRoutes(deps: AuthRouteDependencies): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();

  const limited = async (c: Context<HttpEnv>, email: string) => {
    const decision = await deps.rateLimiter.attempt(deps.clientAddress(c), email);
    if (decision.allowed) {
      return null;
    }
    return problemResponse(c, {
      status: 429,
      code: "rate_limited",
      title: "Too many attempts",
      detail: "Too many sign-in or sign-up attempts. Wait a little, then try again.",
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  };

  routes.post("/auth/sign-up", async (c) => {
    const body = await readBody(c, SignUpBody);
    if (!body.ok) {
      return body.error;
    }
    const refused = await limited(c, body.value.email);
    if (refused !== null) {
      return refused;
    }
    const result = await deps.signUp.execute(body.value);
    if (!result.ok) {
      if (result.error.type === "email_taken") {
        await deps.rateLimiter.recordFailure(body.value.email);
      }
      return problemResponse(c, problemFor(result.error));
    }
    const { user, business, token, expiresAt } = result.value;
    c.var.log.info({ userId: user.id, businessId: business.id }, "signed up");
    return c.json(
      {
        token,
        expiresAt: expiresAt.toISOString(),
        user: presentUser(user),
        business: presentBusiness(business),
        setupNeeded: true,
        setupUrl: SETUP_URL,
      },
      201,
    );
  });

  routes.post("/auth/sign-in", async (c) => {
    const body = await readBody(c, SignInBody);
    if (!body.ok) {
      return body.error;
    }
    const refused = await limited(c, body.value.email);
    if (refused !== null) {
      return refused;
    }
    const result = await deps.signIn.execute(body.value);
    if (!result.ok) {
      await deps.rateLimiter.recordFailure(body.value.email);
      return problemResponse(c, problemFor(result.error));
    }
    await deps.rateLimiter.recordSuccess(body.value.email);
    const { user, businesses, setupNeeded, token, expiresAt } = result.value;
    return c.json({
      token,
      expiresAt: expiresAt.toISOString(),
      user: presentUser(user),
      businesses: businesses.map(presentBusiness),
      setupNeeded,
      ...(setupNeeded ? { setupUrl: SETUP_URL } : {}),
    });
  });

  routes.get("/auth/me", requireUser(deps.authenticate), async (c) => {
    const { user, businesses, setupNeeded } = await deps.getAccount.execute(c.var.user);
    return c.json({
      user: presentUser(user),
      businesses: businesses.map(presentBusiness),
      setupNeeded,
      ...(setupNeeded ? { setupUrl: SETUP_URL } : {}),
    });
  });

  return routes;
}
