import type { Email } from "../../domain/email.ts";
import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import type { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { PasswordStrength } from "../ports/password-strength.ts";
import type { Busy } from "../shared/application-errors.ts";

/** Shorter local parts ("al", "jo") turn up inside ordinary words; the strength estimate still weighs them. */
const MIN_LOCAL_PART = 3;

/**
 * A password someone chooses (sign-up, a password change), already within Password's length rules (parsed at the
 * edge): it must not contain the local part of their email (compared case-insensitively, with or without a
 * "+tag"), and must not be among the most common passwords. That last check needs the strength port, so it is
 * the use case's, not the edge's.
 */
export async function judgeNewPassword(
  password: Password,
  owner: { readonly email: Email; readonly name: string },
  strength: PasswordStrength,
  path = "password",
): Promise<Result<Password, InvalidInput | Busy>> {
  const lowered = password.reveal().toLowerCase();
  const email = owner.email.value;
  const localPart = email.slice(0, Math.max(0, email.lastIndexOf("@")));
  const mailbox = localPart.split("+")[0] ?? localPart;
  const fragments = [localPart, mailbox].filter((fragment) => [...fragment].length >= MIN_LOCAL_PART);
  if (fragments.some((fragment) => lowered.includes(fragment))) {
    return err(invalid(path, "must not contain the part of your email before the @"));
  }
  const userInputs = [email, localPart, ...localPart.split(/[.+_-]/), ...owner.name.split(/\s+/)]
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
