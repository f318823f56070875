import type { SecretBox } from "../../application/ports/secret-box.ts";
import { SECRET_FIELDS, sealedSecret, secretBinding } from "../../domain/sealed-secret.ts";
import type { SharedToken, SharedTokenStore } from "../daraja/shared-token-store.ts";
import type { SqlOrm } from "./database.ts";
import { DarajaTokenSchema } from "./rows/daraja-token-row.ts";

/** Replaces the app's row, unless the stored token outlives the new one (a slower instance's older token). */
const SAVE_SQL = `
insert into "daraja_tokens" as "stored" ("app_key", "sealed_token", "expires_at", "updated_at")
values (?, ?, ?, now())
on conflict ("app_key") do update set
  "sealed_token" = excluded."sealed_token",
  "expires_at" = excluded."expires_at",
  "updated_at" = excluded."updated_at"
where "stored"."expires_at" <= excluded."expires_at"`;

/**
 * Daraja OAuth tokens shared through the `daraja_tokens` table, sealed by the SecretBox (bound to the app's
 * key, so a row copied to another app does not open). Each call is one autocommitted statement on a fresh fork.
 * A database that does not answer, or a token sealed under a key since removed, reads as no token: the caller
 * then asks Daraja, as a lone instance would.
 */
export class DatabaseSharedTokenStore implements SharedTokenStore {
  constructor(
    private readonly orm: SqlOrm,
    private readonly secretBox: SecretBox,
    /** Told when the store could not be read or written (the caller carries on without it). */
    private readonly onError: (error: unknown, operation: "load" | "save") => void,
  ) {}

  async load(appKey: string): Promise<SharedToken | null> {
    try {
      const row = await this.orm.em
        .fork()
        .findOne(DarajaTokenSchema, { appKey }, { disableIdentityMap: true });
      if (row === null) {
        return null;
      }
      const accessToken = await this.secretBox.open(sealedSecret(row.sealedToken), this.binding(appKey));
      return { accessToken, expiresAt: row.expiresAt };
    } catch (error) {
      this.onError(error, "load");
      return null;
    }
  }

  async save(appKey: string, token: SharedToken): Promise<void> {
    try {
      const sealed = await this.secretBox.seal(token.accessToken, this.binding(appKey));
      await this.orm.em.fork().getConnection().execute(SAVE_SQL, [appKey, sealed, token.expiresAt], "run");
    } catch (error) {
      this.onError(error, "save");
    }
  }

  private binding(appKey: string) {
    return secretBinding(appKey, SECRET_FIELDS.darajaAccessToken);
  }
}
