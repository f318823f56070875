import type { FC } from "hono/jsx";
import { Field } from "../components/field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import type { FormState } from "../form-state.ts";
import { InsecureWarning } from "./sign-up-page.tsx";

export const SIGN_IN_LABELS = { email: "Email", password: "Password" } as const;

export const SignInPage: FC<{
  readonly form: FormState;
  /** The PayMe page to return to afterwards (already checked to be one of ours). */
  readonly next: string | null;
  readonly notice: string | null;
  readonly insecureWarning: boolean;
}> = ({ form, next, notice, insecureWarning }) => (
  <Layout title="Sign in">
    <h1>Sign in to PayMe</h1>
    {insecureWarning ? <InsecureWarning /> : null}
    {notice === null ? null : (
      <p class="alert info" role="status">
        {notice}
      </p>
    )}
    <section class="card">
      <FormAlert form={form} />
      <form method="post" action="/sign-in">
        {next === null ? null : <input type="hidden" name="next" value={next} />}
        <Field name="email" label={SIGN_IN_LABELS.email} form={form} type="email" autocomplete="email" />
        <Field
          name="password"
          label={SIGN_IN_LABELS.password}
          form={form}
          type="password"
          autocomplete="current-password"
        />
        <button type="submit" data-busy="Signing in…">
          Sign in
        </button>
      </form>
    </section>
    <p>
      New to PayMe? <a href="/sign-up">Create an account</a>
    </p>
  </Layout>
);
