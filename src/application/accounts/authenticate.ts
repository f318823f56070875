import { err, ok, type Result } from "../../domain/result.ts";
import type { User } from "../../domain/user.ts";
import type { AccessSecrets } from "../ports/access-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Actor } from "../shared/actor.ts";
import {
  API_KEY_FORM,
  API_KEY_LOOKUP_LENGTH,
  looksLikeApiKey,
  sameDigest,
} from "../shared/api-key-format.ts";
import type { Unauthorized } from "../shared/application-errors.ts";

/** Who a credential stands for: a user (with their memberships) or an API key; `user` only for a user. */
export type Authenticated = { readonly actor: Actor; readonly user: User | null };

/** lastUsedAt is written at most this often per key, so that a busy key does not cost a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The caller a bearer credential stands for, read on every request without a cache, so that a revocation takes
 * effect on the very next request, on every instance.
 *
 * - A JWT: it must be ours and unexpired, its user must still exist, and it must not have been revoked (signed
 *   out, or issued before a password change). The user's memberships are read in the same lookup.
 * - An API key (`sk_…`): found by its indexed prefix, then compared by SHA-256 in constant time; a revoked key,
 *   a key of the other environment (`sk_test_` on production, `sk_live_` elsewhere) or a malformed one is refused
 *   like an unknown one.
 */
export class Authenticate {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"users" | "apiKeys">;
      readonly tokens: TokenIssuer;
      readonly secrets: AccessSecrets;
      readonly clock: Clock;
      /** Production: keys are `sk_live_`. */
      readonly liveKeys: boolean;
    },
  ) {}

  async execute(credential: string): Promise<Result<Authenticated, Unauthorized>> {
    if (looksLikeApiKey(credential)) {
      return this.apiKey(credential);
    }
    const claims = await this.deps.tokens.verify(credential);
    if (claims === null) {
      return err({ type: "unauthorized" });
    }
    const found = await this.deps.uow.read((r) => r.users.findByToken(claims));
    if (found === null) {
      return err({ type: "unauthorized" });
    }
    return ok({
      user: found.user,
      actor: { kind: "user", userId: found.user.id, memberships: found.memberships },
    });
  }

  private async apiKey(secret: string): Promise<Result<Authenticated, Unauthorized>> {
    const form = API_KEY_FORM.exec(secret);
    if (form === null || (form[1] === "live") !== this.deps.liveKeys) {
      return err({ type: "unauthorized" });
    }
    const hash = this.deps.secrets.hashOf(secret);
    const candidates = await this.deps.uow.read((r) =>
      r.apiKeys.findByLookup(secret.slice(0, API_KEY_LOOKUP_LENGTH)),
    );
    // Every candidate is compared, so that the time taken does not tell which one matched.
    let key: (typeof candidates)[number] | undefined;
    for (const candidate of candidates) {
      if (sameDigest(candidate.secretHash, hash)) {
        key = candidate;
      }
    }
    if (key === undefined) {
      return err({ type: "unauthorized" });
    }
    const now = this.deps.clock.now();
    if (key.lastUsedAt === null || key.lastUsedAt.getTime() <= now.getTime() - LAST_USED_GRANULARITY_MS) {
      const id = key.id;
      await this.deps.uow.run((r) => r.apiKeys.touch(id, now));
    }
    return ok({
      user: null,
      actor: {
        kind: "api_key",
        keyId: key.id,
        businessId: key.businessId,
        scopes: key.scopes,
        createdBy: key.createdBy,
      },
    });
  }
}
