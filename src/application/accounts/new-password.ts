import type { Email } from "../../domain/email.ts";
import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { PasswordStrength } from "../ports/password-strength.ts";
import type { Busy } from "../shared/application-errors.ts";

/** Shorter local parts ("al", "jo") turn up inside ordinary words; the strength estimate still weighs them. */
const MIN_LOCAL_PART = 3;

/**
 * A password someone chooses (sign-up, a password change): 8 to 256 characters, not containing the local part of
 * their email (compared case-insensitively, with or without a "+tag"), and not among the most common passwords.
 * Without a valid email to compare with, it is judged on its own.
 */
export async function parseNewPassword(
  input: unknown,
  owner: { readonly email: Email | null; readonly name: string | null },
  strength: PasswordStrength,
  path = "password",
): Promise<Result<Password, InvalidInput | Busy>> {
  const parsed = Password.parse(input, path);
  if (!parsed.ok) {
    return parsed;
  }
  const password = parsed.value;
  const lowered = password.reveal().toLowerCase();
  const email = owner.email?.value ?? "";
  const localPart = email.slice(0, Math.max(0, email.lastIndexOf("@")));
  const mailbox = localPart.split("+")[0] ?? localPart;
  const fragments = [localPart, mailbox].filter((fragment) => [...fragment].length >= MIN_LOCAL_PART);
  if (fragments.some((fragment) => lowered.includes(fragment))) {
    return err(invalid(path, "must not contain the part of your email before the @"));
  }
  const userInputs = [email, localPart, ...localPart.split(/[.+_-]/), ...(owner.name ?? "").split(/\s+/)]
    .map((value) => value.trim())
    .filter((value) => value !== "");
  const common = await strength.isCommon(password, userInputs);
  if (!common.ok) {
    return common;
  }
  if (common.value) {
    return err(
      invalid(
        path,
        "is too common or too easy to guess: use a longer passphrase, such as a few unrelated words",
      ),
    );
  }
  return ok(password);
}
