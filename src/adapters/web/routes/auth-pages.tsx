import { type Context, Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import { SETUP_URL } from "../../../application/accounts/setup-status.ts";
import type { SignIn } from "../../../application/accounts/sign-in.ts";
import type { SignOut } from "../../../application/accounts/sign-out.ts";
import type { SignUp } from "../../../application/accounts/sign-up.ts";
import type { Clock } from "../../../application/ports/clock.ts";
import { type AuthRateLimiter, attemptOutcome } from "../../http/auth-rate-limiter.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { fieldErrors, validationProblem } from "../../http/request-body.ts";
import { SignUpBody } from "../../http/routes/auth-routes.ts";
import { EMPTY_FORM, type FormState, failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { formDoc, htmlPageDoc, redirectDoc } from "../page-docs.ts";
import { SIGN_IN_LABELS, SignInPage } from "../pages/sign-in-page.tsx";
import { SIGN_UP_LABELS, SignUpPage } from "../pages/sign-up-page.tsx";
import { safeNext } from "../safe-next.ts";
import type { SessionCookie } from "../session-cookie.ts";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type AuthPageDependencies = {
  readonly signUp: SignUp;
  readonly signIn: SignIn;
  readonly signOut: SignOut;
  readonly rateLimiter: AuthRateLimiter;
  readonly clientAddress: (c: Context) => string;
  readonly clock: Clock;
  readonly cookie: SessionCookie;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
};

/** The token of an invitation link, as PayMe issues them (base62). */
const INVITATION_TOKEN = /^[0-9A-Za-z]{1,64}$/;

/** `/sign-up`, `/sign-in` and `/sign-out`: the same use cases and rate limits as the JSON API, with a cookie. */
export function authPages(deps: AuthPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();

  const signUpPage = (c: Context<WebEnv>, form: FormState, status: 200 | 400 | 409 | 429 | 503 = 200) => {
    // An invitation link's token rides along in the form, so that the new user joins that business.
    const typed = form.values.invitation ?? c.req.query("invitation");
    const invitation = typed !== undefined && INVITATION_TOKEN.test(typed) ? typed : null;
    return htmlPage(
      c,
      <SignUpPage form={form} invitation={invitation} insecureWarning={deps.cookie.cannotKeepSession(c)} />,
      status,
    );
  };
  const signInPage = (
    c: Context<WebEnv>,
    form: FormState,
    next: string | null,
    status: 200 | 400 | 429 | 503 = 200,
    notice: string | null = null,
  ) =>
    htmlPage(
      c,
      <SignInPage
        form={form}
        next={next}
        notice={notice}
        insecureWarning={deps.cookie.cannotKeepSession(c)}
      />,
      status,
    );

  /** Counts the attempt before any password is hashed; a refusal is the form again, saying how long to wait. */
  const counted = async (c: Context<WebEnv>, email: string, values: Record<string, string>) => {
    const decision = await deps.rateLimiter.attempt(deps.clientAddress(c), email);
    if (decision.allowed) {
      return { ok: true as const, attempt: decision.attempt };
    }
    c.header("Retry-After", String(decision.retryAfterSeconds));
    const minutes = Math.max(1, Math.ceil(decision.retryAfterSeconds / 60));
    const form: FormState = {
      values,
      fieldErrors: {},
      formError: `Too many attempts. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again.`,
    };
    return { ok: false as const, form };
  };

  /** The hashing queue is full: the form again, asking to try in a moment (503 with Retry-After). */
  const busyForm = (
    c: Context<WebEnv>,
    values: Record<string, string>,
    retryAfterSeconds: number,
  ): FormState => {
    c.header("Retry-After", String(retryAfterSeconds));
    return {
      values,
      fieldErrors: {},
      formError: "PayMe is busy right now. Nothing was done; try again in a moment.",
    };
  };

  pages.get("/", redirectDoc("Home", "Sends you to the dashboard.", "/dashboard"), (c) =>
    c.redirect("/dashboard", 303),
  );

  pages.get("/sign-up", htmlPageDoc("Sign-up page", "Create an account and a first business.", false), (c) =>
    signUpPage(c, EMPTY_FORM),
  );

  pages.post(
    "/sign-up",
    formDoc("Sign up", "Creates the account and starts a session.", false),
    deps.sameOrigin,
    async (c) => {
      const form = await FormValues.of(c);
      const values = form.echo(["password"]);
      // The form is read as the API reads its body, into the same command.
      const fields = v.safeParse(SignUpBody, {
        name: form.text("name"),
        email: form.text("email"),
        password: form.text("password"),
        phone: form.optional("phone"),
        businessName: form.optional("businessName"),
        invitation: form.optional("invitation") ?? null,
      });
      if (!fields.success) {
        return signUpPage(
          c,
          failedForm(values, validationProblem(fieldErrors(fields.issues)), SIGN_UP_LABELS),
          400,
        );
      }
      const count = await counted(c, fields.output.email.value, values);
      if (!count.ok) {
        return signUpPage(c, count.form, 429);
      }
      const result = await deps.signUp.execute(fields.output);
      await deps.rateLimiter.settle(count.attempt, result.ok ? "not_a_guess" : attemptOutcome(result));
      if (!result.ok) {
        if (result.error.type === "busy") {
          return signUpPage(c, busyForm(c, values, result.error.retryAfterSeconds), 503);
        }
        const problem = problemFor(result.error);
        if (result.error.type === "email_taken") {
          return signUpPage(c, { values, fieldErrors: { email: problem.detail }, formError: null }, 409);
        }
        return signUpPage(c, failedForm(values, problem, SIGN_UP_LABELS), 400);
      }
      const { user, business, role, token, expiresAt } = result.value;
      c.var.log.info({ userId: user.id, businessId: business.id, role }, "signed up in the browser");
      deps.cookie.write(c, token, expiresAt, deps.clock.now());
      // A member who joined by invitation has no payment method of their own to set up.
      return c.redirect(
        role === "owner" ? SETUP_URL : `/dashboard?business=${encodeURIComponent(business.id)}`,
        303,
      );
    },
  );

  pages.get("/sign-in", htmlPageDoc("Sign-in page", "Sign in with email and password.", false), (c) =>
    signInPage(
      c,
      EMPTY_FORM,
      safeNext(c.req.query("next")),
      200,
      c.req.query("signed-out") === undefined ? null : "You are signed out.",
    ),
  );

  pages.post(
    "/sign-in",
    formDoc("Sign in", "Starts a session (an HttpOnly, SameSite=Lax cookie).", false),
    deps.sameOrigin,
    async (c) => {
      const form = await FormValues.of(c);
      const next = safeNext(form.optional("next"));
      const values = form.echo(["password"]);
      const count = await counted(c, form.text("email"), values);
      if (!count.ok) {
        return signInPage(c, count.form, next, 429);
      }
      const result = await deps.signIn.execute({
        email: form.text("email"),
        password: form.text("password"),
      });
      await deps.rateLimiter.settle(count.attempt, attemptOutcome(result));
      if (!result.ok) {
        if (result.error.type === "busy") {
          return signInPage(c, busyForm(c, values, result.error.retryAfterSeconds), next, 503);
        }
        // 400, not the API's 401: a 401 would need a WWW-Authenticate challenge, and this is a form to correct.
        return signInPage(c, failedForm(values, problemFor(result.error), SIGN_IN_LABELS), next, 400);
      }
      const { token, expiresAt, setupNeeded } = result.value;
      deps.cookie.write(c, token, expiresAt, deps.clock.now());
      return c.redirect(next ?? (setupNeeded ? SETUP_URL : "/dashboard"), 303);
    },
  );

  // Signing out revokes the session's token, on every instance (as the API's sign-out does), and forgets the
  // cookie in this browser.
  pages.post(
    "/sign-out",
    formDoc("Sign out", "Ends the session."),
    deps.sameOrigin,
    deps.guard.page,
    deps.guard.formToken,
    async (c) => {
      await deps.signOut.execute(c.var.session.token);
      deps.cookie.clear(c);
      return c.redirect("/sign-in?signed-out", 303);
    },
  );

  return pages;
}
