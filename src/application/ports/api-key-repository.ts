import type { ApiKeyScope } from "../../domain/api-key-scope.ts";

/** An API key as stored: never the secret, only its SHA-256 and the prefixes it is found and shown by. */
export type ApiKeyRecord = {
  readonly id: string;
  readonly businessId: string;
  readonly name: string;
  /** The secret's first 12 characters, shown in lists (`sk_live_AbCd`). */
  readonly prefix: string;
  /** The secret's first LOOKUP_LENGTH characters: an indexed column that narrows the search to one row or a few. */
  readonly lookup: string;
  /** SHA-256 of the whole secret, hex. */
  readonly secretHash: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
};

/** Business API keys. Revoked keys are kept (for the record) but never found again. */
export interface ApiKeyRepository {
  add(key: ApiKeyRecord): Promise<void>;
  /** The unrevoked keys whose secret starts with `lookup` (almost always one at most). */
  findByLookup(lookup: string): Promise<ApiKeyRecord[]>;
  /** The business's unrevoked keys, newest first. */
  listForBusiness(businessId: string): Promise<ApiKeyRecord[]>;
  /** Revokes the business's key; false when it has no such unrevoked key. */
  revoke(businessId: string, id: string, at: Date): Promise<boolean>;
  /**
   * Records that the key was used at `at`, unless it was recorded less than a minute before (one conditional
   * UPDATE, called only when the key's lastUsedAt, as just read, is older than that).
   */
  touch(id: string, at: Date): Promise<void>;
}
