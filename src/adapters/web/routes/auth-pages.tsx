import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { Clock } from "../../../application/ports/clock.ts";
import { SETUP_URL } from "../../../application/setup-status.ts";
import type { SignIn } from "../../../application/sign-in.ts";
import type { SignUp } from "../../../application/sign-up.ts";
import type { AuthRateLimiter } from "../../http/auth-rate-limiter.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { EMPTY_FORM, type FormState, failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { SIGN_IN_LABELS, SignInPage } from "../pages/sign-in-page.tsx";
import { SIGN_UP_LABELS, SignUpPage } from "../pages/sign-up-page.tsx";
import { safeNext } from "../safe-next.ts";
import type { SessionCookie } from "../session-cookie.ts";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type AuthPageDependencies = {
  readonly signUp: SignUp;
  readonly signIn: SignIn;
  readonly rateLimiter: AuthRateLimiter;
  readonly clientAddress: (c: Context) => string;
  readonly clock: Clock;
  readonly cookie: SessionCookie;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
};

/** `/sign-up`, `/sign-in` and `/sign-out`: the same use cases and rate limits as the JSON API, with a cookie. */
export function authPages(deps: AuthPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();

  const signUpPage = (c: Context<WebEnv>, form: FormState, status: 200 | 400 | 409 | 429 = 200) =>
    htmlPage(c, <SignUpPage form={form} insecureWarning={deps.cookie.cannotKeepSession(c)} />, status);
  const signInPage = (
    c: Context<WebEnv>,
    form: FormState,
    next: string | null,
    status: 200 | 400 | 429 = 200,
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

  /** Counts the attempt; a refusal is the form again, saying how long to wait. */
  const rateLimited = async (c: Context<WebEnv>, email: string, values: Record<string, string>) => {
    const decision = await deps.rateLimiter.attempt(deps.clientAddress(c), email);
    if (decision.allowed) {
      return null;
    }
    c.header("Retry-After", String(decision.retryAfterSeconds));
    const minutes = Math.max(1, Math.ceil(decision.retryAfterSeconds / 60));
    return {
      values,
      fieldErrors: {},
      formError: `Too many attempts. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again.`,
    } satisfies FormState;
  };

  pages.get("/", (c) => c.redirect("/dashboard", 303));

  pages.get("/sign-up", (c) => signUpPage(c, EMPTY_FORM));

  pages.post("/sign-up", deps.sameOrigin, async (c) => {
    const form = await FormValues.of(c);
    const values = form.echo(["password"]);
    const refused = await rateLimited(c, form.text("email"), values);
    if (refused !== null) {
      return signUpPage(c, refused, 429);
    }
    const result = await deps.signUp.execute({
      name: form.text("name"),
      email: form.text("email"),
      password: form.text("password"),
      phone: form.optional("phone"),
      businessName: form.optional("businessName"),
    });
    if (!result.ok) {
      const problem = problemFor(result.error);
      if (result.error.type === "email_taken") {
        await deps.rateLimiter.recordFailure(form.text("email"));
        return signUpPage(c, { values, fieldErrors: { email: problem.detail }, formError: null }, 409);
      }
      return signUpPage(c, failedForm(values, problem, SIGN_UP_LABELS), 400);
    }
    const { user, business, token, expiresAt } = result.value;
    c.var.log.info({ userId: user.id, businessId: business.id }, "signed up in the browser");
    deps.cookie.write(c, token, expiresAt, deps.clock.now());
    return c.redirect(SETUP_URL, 303);
  });

  pages.get("/sign-in", (c) =>
    signInPage(
      c,
      EMPTY_FORM,
      safeNext(c.req.query("next")),
      200,
      c.req.query("signed-out") === undefined ? null : "You are signed out.",
    ),
  );

  pages.post("/sign-in", deps.sameOrigin, async (c) => {
    const form = await FormValues.of(c);
    const next = safeNext(form.optional("next"));
    const values = form.echo(["password"]);
    const refused = await rateLimited(c, form.text("email"), values);
    if (refused !== null) {
      return signInPage(c, refused, next, 429);
    }
    const result = await deps.signIn.execute({ email: form.text("email"), password: form.text("password") });
    if (!result.ok) {
      await deps.rateLimiter.recordFailure(form.text("email"));
      // 400, not the API's 401: a 401 would need a WWW-Authenticate challenge, and this is a form to correct.
      return signInPage(c, failedForm(values, problemFor(result.error), SIGN_IN_LABELS), next, 400);
    }
    await deps.rateLimiter.recordSuccess(form.text("email"));
    const { token, expiresAt, setupNeeded } = result.value;
    deps.cookie.write(c, token, expiresAt, deps.clock.now());
    return c.redirect(next ?? (setupNeeded ? SETUP_URL : "/dashboard"), 303);
  });

  // Signing out forgets the cookie in this browser. The JWT itself stays valid until it expires (tokens are
  // stateless, as for the JSON API), but nothing in the browser holds it any more.
  pages.post("/sign-out", deps.sameOrigin, deps.guard.page, deps.guard.formToken, (c) => {
    deps.cookie.clear(c);
    return c.redirect("/sign-in?signed-out", 303);
  });

  return pages;
}
