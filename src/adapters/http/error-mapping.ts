import type { InvalidCredentials, NotFound, Unauthorized } from "../../application/application-errors.ts";
import type { EmailTaken } from "../../application/ports/user-repository.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Problem } from "./problem.ts";
import { validationProblem } from "./request-body.ts";

/** Every expected failure a use case can answer with. */
export type ApplicationError = InvalidInput | EmailTaken | InvalidCredentials | Unauthorized | NotFound;

/** The one place that turns a use case's expected failure into a status and a problem `code`. */
export function problemFor(error: ApplicationError): Problem {
  switch (error.type) {
    case "invalid_input":
      return validationProblem(error.errors);
    case "email_taken":
      return {
        status: 409,
        code: "email_taken",
        title: "Email taken",
        detail: "An account with this email already exists. Sign in instead.",
      };
    case "invalid_credentials":
      return {
        status: 401,
        code: "invalid_credentials",
        title: "Invalid credentials",
        detail: "The email or the password is wrong.",
      };
    case "unauthorized":
      return unauthorizedProblem;
    case "not_found":
      return {
        status: 404,
        code: "not_found",
        title: "Not found",
        detail: `No such ${error.entity}.`,
      };
  }
}

export const unauthorizedProblem: Problem = {
  status: 401,
  code: "unauthorized",
  title: "Unauthorized",
  detail: "Send a valid token: Authorization: Bearer <token>.",
};
