import { err, ok, type Result } from "../domain/result.ts";
import type { User } from "../domain/user.ts";
import type { Unauthorized } from "./application-errors.ts";
import type { TokenIssuer } from "./ports/token-issuer.ts";
import type { UnitOfWork } from "./ports/unit-of-work.ts";

/** The user a bearer token stands for: the token must be ours, unexpired, and its user must still exist. */
export class Authenticate {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly tokens: TokenIssuer }) {}

  async execute(token: string): Promise<Result<User, Unauthorized>> {
    const userId = await this.deps.tokens.verify(token);
    if (userId === null) {
      return err({ type: "unauthorized" });
    }
    const user = await this.deps.uow.read((r) => r.users.findById(userId));
    return user === null ? err({ type: "unauthorized" }) : ok(user);
  }
}
