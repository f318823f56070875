import type { Problem } from "../http/problem.ts";

/** A form as the page shows it: what was typed, and what is wrong, beside each field or above the form. */
export type FormState = {
  readonly values: Readonly<Record<string, string>>;
  readonly fieldErrors: Readonly<Record<string, string>>;
  readonly formError: string | null;
};

export const EMPTY_FORM: FormState = { values: {}, fieldErrors: {}, formError: null };

/**
 * The form after a use case refused it. Each field error of the problem (`{ path, message }`, as problemFor
 * gives it) is written beside its field as a sentence naming the field ("Till number must be 5 to 7 digits.");
 * any other failure (a taken email, M-Pesa's refusal) goes above the form, in problemFor's own words.
 * `fieldOf` maps a use case's path to a form field (by default the same name); `labels` names each field.
 */
export function failedForm(
  values: Readonly<Record<string, string>>,
  problem: Problem,
  labels: Readonly<Record<string, string>>,
  fieldOf: (path: string) => string | undefined = (path) => (path in labels ? path : undefined),
): FormState {
  const fieldErrors: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const error of problem.errors ?? []) {
    const field = fieldOf(error.path);
    const label = field === undefined ? undefined : labels[field];
    if (field === undefined || label === undefined) {
      unplaced.push(sentence(error.message));
    } else if (fieldErrors[field] === undefined) {
      fieldErrors[field] = sentence(`${label} ${error.message}`);
    }
  }
  const isValidation = problem.code === "validation_failed";
  const formError = isValidation
    ? unplaced.length > 0
      ? unplaced.join(" ")
      : Object.keys(fieldErrors).length > 0
        ? "Please correct the fields marked below."
        : problem.detail
    : problem.detail;
  return { values, fieldErrors, formError };
}

/** "must be 5 to 7 digits" → "Must be 5 to 7 digits." */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
