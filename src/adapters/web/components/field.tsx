import type { Child, FC } from "hono/jsx";
import type { FormState } from "../form-state.ts";

export type FieldProps = {
  readonly name: string;
  readonly label: Child;
  readonly form: FormState;
  readonly type?: "text" | "email" | "password" | "tel" | "number";
  readonly help?: Child;
  readonly optional?: boolean;
  readonly autocomplete?: string;
  readonly inputmode?: "numeric" | "tel" | "email" | "text";
  readonly placeholder?: string;
  readonly maxlength?: number;
  /** Shown when the form has no value for the field yet. */
  readonly initial?: string;
  /** Makes ids unique on a page with several forms: `${idPrefix}-${name}` (default "field"). */
  readonly idPrefix?: string;
  /** Classes on the wrapper, e.g. "till-only" for a field that only a Till needs. */
  readonly class?: string;
};

/**
 * One labelled input with its help text and, after a refused submit, its error right beside it (between the
 * label and the box, where a screen reader announces it with the input). Passwords are never filled back in.
 */
export const Field: FC<FieldProps> = (props) => {
  const { name, form } = props;
  const error = form.fieldErrors[name];
  const id = `${props.idPrefix ?? "field"}-${name}`;
  const describedBy = [
    props.help === undefined ? null : `${id}-help`,
    error === undefined ? null : `${id}-error`,
  ]
    .filter((part) => part !== null)
    .join(" ");
  const value = props.type === "password" ? undefined : (form.values[name] ?? props.initial);
  return (
    <div class={["field", error === undefined ? "" : "has-error", props.class ?? ""].join(" ").trim()}>
      <label for={id}>
        {props.label}
        {props.optional === true ? <span class="optional"> (optional)</span> : null}
      </label>
      {props.help === undefined ? null : (
        <p class="help" id={`${id}-help`}>
          {props.help}
        </p>
      )}
      {error === undefined ? null : (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={props.type ?? "text"}
        value={value}
        required={props.optional !== true}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        placeholder={props.placeholder}
        maxlength={props.maxlength}
        aria-invalid={error === undefined ? undefined : "true"}
        aria-describedby={describedBy === "" ? undefined : describedBy}
      />
    </div>
  );
};
