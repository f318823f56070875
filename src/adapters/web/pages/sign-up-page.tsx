import type { FC } from "hono/jsx";
import { Field } from "../components/field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import type { FormState } from "../form-state.ts";

export const SIGN_UP_LABELS = {
  name: "Your name",
  email: "Email",
  password: "Password",
  phone: "Phone number",
  businessName: "Business name",
  invitation: "Invitation",
} as const;

/** Sign up: the person, their first business, and the phone the KES 1 test payment will go to. */
export const SignUpPage: FC<{
  readonly form: FormState;
  readonly insecureWarning: boolean;
  /** The token of the invitation link the person came by: they join that business and get none of their own. */
  readonly invitation: string | null;
}> = ({ form, insecureWarning, invitation }) => (
  <Layout title="Sign up">
    <h1>{invitation === null ? "Start taking M-Pesa payments" : "Join your team on PayMe"}</h1>
    <p>
      {invitation === null
        ? "Create your account, then add your Till or Paybill. It takes about two minutes."
        : "You were invited to a business. Sign up with the email the invitation was sent to."}
    </p>
    {insecureWarning ? <InsecureWarning /> : null}
    <section class="card">
      <FormAlert form={form} />
      <form method="post" action="/sign-up">
        {invitation === null ? null : <input type="hidden" name="invitation" value={invitation} />}
        <Field name="name" label={SIGN_UP_LABELS.name} form={form} autocomplete="name" maxlength={100} />
        {invitation !== null ? null : (
          <Field
            name="businessName"
            label={SIGN_UP_LABELS.businessName}
            form={form}
            optional
            maxlength={100}
            help="As your customers know it. We use your name if you leave it empty."
          />
        )}
        <Field name="email" label={SIGN_UP_LABELS.email} form={form} type="email" autocomplete="email" />
        <Field
          name="password"
          label={SIGN_UP_LABELS.password}
          form={form}
          type="password"
          autocomplete="new-password"
          help="At least 8 characters."
        />
        <Field
          name="phone"
          label={SIGN_UP_LABELS.phone}
          form={form}
          type="tel"
          optional
          autocomplete="tel"
          inputmode="tel"
          placeholder="0712 345 678"
          help="Your M-Pesa number. We send the KES 1 test payment here when you check your Till or Paybill."
        />
        <button type="submit" data-busy="Creating your account…">
          Create account
        </button>
      </form>
    </section>
    <p>
      Already have an account? <a href="/sign-in">Sign in</a>
    </p>
  </Layout>
);

/** Shown on plain http away from localhost: the browser would drop the Secure session cookie. */
export const InsecureWarning: FC = () => (
  <p class="alert error" role="alert">
    This address is not secure (http), so your browser will not keep you signed in. Open PayMe over https.
  </p>
);
