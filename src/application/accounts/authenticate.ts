import { err, ok, type Result } from "../../domain/result.ts";
import type { User } from "../../domain/user.ts";
import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Unauthorized } from "../shared/application-errors.ts";

/**
 * The user a bearer token stands for: the token must be ours and unexpired, its user must still exist, and it
 * must not have been revoked (signed out, or issued before a password change). The revocation is read in the
 * same lookup as the user, on every request, without a cache: it takes effect on the very next request.
 */
export class Authenticate {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"users">; readonly tokens: TokenIssuer }) {}

  async execute(token: string): Promise<Result<User, Unauthorized>> {
    const claims = await this.deps.tokens.verify(token);
    if (claims === null) {
      return err({ type: "unauthorized" });
    }
    const user = await this.deps.uow.read((r) => r.users.findByToken(claims));
    return user === null ? err({ type: "unauthorized" }) : ok(user);
  }
}
