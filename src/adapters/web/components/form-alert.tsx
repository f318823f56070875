import type { FC } from "hono/jsx";
import type { FormState } from "../form-state.ts";

/** What went wrong with a form as a whole (wrong password, M-Pesa's refusal), above its fields. */
export const FormAlert: FC<{ readonly form: FormState }> = ({ form }) =>
  form.formError === null ? null : (
    <p class="alert error" role="alert">
      {form.formError}
    </p>
  );
