import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

/**
 * Signs a token out: it is revoked in the database, so every instance refuses it from the next request on. A
 * token that is already invalid (expired, forged) needs nothing.
 */
export class SignOut {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"users">; readonly tokens: TokenIssuer }) {}

  async execute(token: string): Promise<void> {
    const claims = await this.deps.tokens.verify(token);
    if (claims === null) {
      return;
    }
    await this.deps.uow.run((r) => r.users.revokeToken(claims));
  }
}
