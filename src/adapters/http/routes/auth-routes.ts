import type { Context } from "hono";
import { Hono } from "hono";
import * as v from "valibot";
import type { Authenticate } from "../../../application/accounts/authenticate.ts";
import type { ChangePassword } from "../../../application/accounts/change-password.ts";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import { SETUP_URL } from "../../../application/accounts/setup-status.ts";
import type { SignIn } from "../../../application/accounts/sign-in.ts";
import type { SignOut } from "../../../application/accounts/sign-out.ts";
import type { SignUp } from "../../../application/accounts/sign-up.ts";
import { Business } from "../../../domain/business.ts";
import { Email } from "../../../domain/email.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { Password } from "../../../domain/password.ts";
import { User } from "../../../domain/user.ts";
import { type AuthRateLimiter, attemptOutcome, type CountedAttempt } from "../auth-rate-limiter.ts";
import { domainValue, mayBeLeftOut } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { AuthSessionSchema, BusinessSchema, UserSchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { presentBusiness, presentMembership, presentUser } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody } from "../request-body.ts";
import { bearerToken, requireUser } from "../require-user.ts";

/** A password someone chooses, within Password's length rules; its strength is the use case's to judge. */
const newPassword = domainValue((input) => Password.parse(input), {
  type: "string",
  minLength: Password.MIN_LENGTH,
  maxLength: Password.MAX_LENGTH,
});

export const SignUpBody = v.object({
  email: domainValue((input) => Email.parse(input), {
    type: "string",
    format: "email",
    maxLength: Email.MAX_LENGTH,
  }),
  password: newPassword,
  name: domainValue((input) => User.parseName(input), { type: "string", maxLength: User.NAME_MAX }),
  phone: mayBeLeftOut((input) => Msisdn.parse(input, "phone"), {
    type: ["string", "null"],
    description: "Any Kenyan form: 0712345678, 712345678, 254712345678 or +254712345678.",
  }),
  businessName: mayBeLeftOut((input) => Business.parseName(input, "businessName"), {
    type: ["string", "null"],
    maxLength: Business.NAME_MAX,
  }),
  invitation: v.optional(
    v.nullable(
      v.pipe(
        v.string("must be the token of an invitation link"),
        v.regex(/^[0-9A-Za-z]{1,64}$/, "must be the token of an invitation link"),
      ),
    ),
  ),
});

/** A password as typed to prove who one is: any length up to the maximum (an old rule may have allowed it). */
const presentedPassword = v.pipe(v.string("is required"), v.maxLength(256, "must be at most 256 characters"));

export const SignInBody = v.object({
  // As typed: an address no account can have is a wrong credential (401), not a validation error.
  email: v.pipe(
    v.string("is required, as an email address"),
    v.maxLength(Email.MAX_LENGTH, `must be at most ${Email.MAX_LENGTH} characters`),
  ),
  password: presentedPassword,
});

export const ChangePasswordBody = v.object({
  currentPassword: presentedPassword,
  newPassword,
});

export type AuthRouteDependencies = {
  readonly signUp: SignUp;
  readonly signIn: SignIn;
  readonly signOut: SignOut;
  readonly changePassword: ChangePassword;
  readonly getAccount: GetAccount;
  readonly authenticate: Authenticate;
  readonly rateLimiter: AuthRateLimiter;
  readonly clientAddress: (c: Context) => string;
};

/** `/auth/sign-up`, `/auth/sign-in`, `/auth/sign-out`, `/auth/change-password` and `/auth/me`. */
export function authRoutes(deps: AuthRouteDependencies): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();

  /** Counts the attempt before any password is hashed: a 429 when a limit is used up. */
  const counted = async (
    c: Context<HttpEnv>,
    email: string,
  ): Promise<{ ok: true; attempt: CountedAttempt } | { ok: false; response: Response }> => {
    const decision = await deps.rateLimiter.attempt(deps.clientAddress(c), email);
    if (decision.allowed) {
      return { ok: true, attempt: decision.attempt };
    }
    return {
      ok: false,
      response: problemResponse(c, {
        status: 429,
        code: "rate_limited",
        title: "Too many attempts",
        detail: "Too many attempts. Wait a little, then try again.",
        retryAfterSeconds: decision.retryAfterSeconds,
      }),
    };
  };

  routes.post(
    "/auth/sign-up",
    routeDoc({
      tag: "Auth",
      summary: "Sign up",
      description:
        "Creates the user and their first business (named businessName, or after the user), and signs them in. With `invitation` (the token of an invitation link, for this email), the user joins that business with the invitation's role instead, and gets no business of their own.",
      auth: false,
      readsJson: true,
      success: {
        status: 201,
        description: "Signed up; a payment method still has to be set up.",
        schema: v.object({ ...AuthSessionSchema.entries, business: BusinessSchema }),
      },
      problems: [409, 429, 503],
    }),
    jsonBody(SignUpBody),
    async (c) => {
      const body = c.req.valid("json");
      const count = await counted(c, body.email.value);
      if (!count.ok) {
        return count.response;
      }
      const result = await deps.signUp.execute(body);
      // A new account is no guess at an existing one.
      await deps.rateLimiter.settle(count.attempt, result.ok ? "not_a_guess" : attemptOutcome(result));
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      const { user, business, role, token, expiresAt } = result.value;
      c.var.log.info({ userId: user.id, businessId: business.id, role }, "signed up");
      // A member who joined by invitation has no business of their own to set up.
      const owner = role === "owner";
      return c.json(
        {
          token,
          expiresAt: expiresAt.toISOString(),
          user: presentUser(user),
          business: presentBusiness(business, role),
          setupNeeded: owner,
          ...(owner ? { setupUrl: SETUP_URL } : {}),
        },
        201,
      );
    },
  );

  routes.post(
    "/auth/sign-in",
    routeDoc({
      tag: "Auth",
      summary: "Sign in",
      auth: false,
      readsJson: true,
      success: {
        status: 200,
        description: "Signed in.",
        schema: v.object({ ...AuthSessionSchema.entries, businesses: v.array(BusinessSchema) }),
      },
      problems: [401, 429, 503],
    }),
    jsonBody(SignInBody),
    async (c) => {
      const body = c.req.valid("json");
      const count = await counted(c, body.email);
      if (!count.ok) {
        return count.response;
      }
      const result = await deps.signIn.execute(body);
      await deps.rateLimiter.settle(count.attempt, attemptOutcome(result));
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      const { user, businesses, setupNeeded, token, expiresAt } = result.value;
      return c.json({
        token,
        expiresAt: expiresAt.toISOString(),
        user: presentUser(user),
        businesses: businesses.map(presentMembership),
        setupNeeded,
        ...(setupNeeded ? { setupUrl: SETUP_URL } : {}),
      });
    },
  );

  // The presented token stops working at once, on every instance: it is revoked in the database.
  routes.post(
    "/auth/sign-out",
    requireUser(deps.authenticate),
    routeDoc({
      tag: "Auth",
      summary: "Sign out",
      permission: "account:use",
      description:
        "Revokes the presented token: it stops working at once, on every instance. Other tokens of the user keep working.",
      success: { status: 204, description: "Signed out." },
    }),
    async (c) => {
      const token = bearerToken(c);
      if (token !== null) {
        await deps.signOut.execute(token);
      }
      c.var.log.info("signed out");
      return c.body(null, 204);
    },
  );

  routes.post(
    "/auth/change-password",
    requireUser(deps.authenticate),
    routeDoc({
      tag: "Auth",
      summary: "Change password",
      permission: "account:use",
      description:
        "Needs the current password. The new one follows the sign-up rules (8 to 256 characters, not among the most common passwords, not containing the email's local part). Every earlier token of the user stops working, on every instance; the answer carries a new one.",
      readsJson: true,
      success: {
        status: 200,
        description: "Changed; use the new token.",
        schema: v.object({
          token: v.pipe(v.string(), v.description("A bearer token (HS256 JWT).")),
          expiresAt: v.pipe(v.string(), v.isoTimestamp()),
        }),
      },
      problems: [429, 503],
    }),
    jsonBody(ChangePasswordBody),
    async (c) => {
      const body = c.req.valid("json");
      const { user } = c.var;
      const count = await counted(c, user.email.value);
      if (!count.ok) {
        return count.response;
      }
      const result = await deps.changePassword.execute({ user, ...body });
      await deps.rateLimiter.settle(count.attempt, attemptOutcome(result));
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      c.var.log.info("changed password; earlier tokens revoked");
      return c.json({ token: result.value.token, expiresAt: result.value.expiresAt.toISOString() });
    },
  );

  routes.get(
    "/auth/me",
    requireUser(deps.authenticate),
    routeDoc({
      tag: "Auth",
      summary: "Who am I",
      permission: "account:use",
      success: {
        status: 200,
        description: "The signed-in user and their businesses.",
        schema: v.object({
          user: UserSchema,
          businesses: v.array(BusinessSchema),
          setupNeeded: v.boolean(),
          setupUrl: v.optional(v.string()),
        }),
      },
    }),
    async (c) => {
      const { user, businesses, setupNeeded } = await deps.getAccount.execute(c.var.user);
      return c.json({
        user: presentUser(user),
        businesses: businesses.map(presentMembership),
        setupNeeded,
        ...(setupNeeded ? { setupUrl: SETUP_URL } : {}),
      });
    },
  );

  return routes;
}
