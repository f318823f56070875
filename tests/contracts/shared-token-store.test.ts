import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AesGcmSecretBox } from "../../src/adapters/crypto/aes-gcm-secret-box.ts";
import type { SharedTokenStore } from "../../src/adapters/daraja/shared-token-store.ts";
import { InMemorySharedTokenStore } from "../../src/adapters/in-memory/in-memory-shared-token-store.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { DatabaseSharedTokenStore } from "../../src/adapters/persistence/database-shared-token-store.ts";
import { T0 } from "../support/builders.ts";
import { TEST_ENCRYPTION_KEY } from "../support/test-app.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const HOUR = 3_600_000;
const APP = "a".repeat(64);
const OTHER_APP = "b".repeat(64);
const at = (ms: number) => new Date(T0.getTime() + ms);

type Opened = { store: SharedTokenStore; database: Database | null; close: () => Promise<void> };

const adapters: [string, () => Promise<Opened>][] = [
  [
    "in-memory",
    async () => ({ store: new InMemorySharedTokenStore(), database: null, close: async () => undefined }),
  ],
  ...testDatabaseKinds().map((kind): [string, () => Promise<Opened>] => [
    kind,
    async () => {
      const { database, drop } = await openTestDatabase(kind);
      const store = new DatabaseSharedTokenStore(
        database.orm,
        new AesGcmSecretBox(TEST_ENCRYPTION_KEY),
        (error) => {
          throw error;
        },
      );
      return { store, database, close: drop };
    },
  ]),
];

describe.each(adapters)("SharedTokenStore — %s", (_name, open) => {
  let opened: Opened | null = null;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(() => opened?.close());
  const store = () => {
    if (opened === null) {
      throw new Error("not open");
    }
    return opened.store;
  };

  it("has no token for an app until one is saved, and then gives back that token and its expiry", async () => {
    expect(await store().load(OTHER_APP)).toBeNull();
    await store().save(OTHER_APP, { accessToken: "first0token0of0twenty0eight", expiresAt: at(HOUR) });
    expect(await store().load(OTHER_APP)).toEqual({
      accessToken: "first0token0of0twenty0eight",
      expiresAt: at(HOUR),
    });
  });

  it("a newer token replaces the app's; an older one (a slower instance's) does not; apps are apart", async () => {
    await store().save(APP, { accessToken: "older", expiresAt: at(HOUR) });
    await store().save(APP, { accessToken: "newer", expiresAt: at(HOUR + 60_000) });
    await store().save(APP, { accessToken: "late-but-older", expiresAt: at(HOUR + 30_000) });
    expect(await store().load(APP)).toEqual({ accessToken: "newer", expiresAt: at(HOUR + 60_000) });
    expect((await store().load(OTHER_APP))?.accessToken).not.toBe("newer");
  });

  it("keeps no token in plaintext", async () => {
    const database = opened?.database;
    if (database === null || database === undefined) {
      return;
    }
    await store().save(APP, { accessToken: "plain0token0never0stored", expiresAt: at(2 * HOUR) });
    const rows = await database.orm.em
      .fork()
      .getConnection()
      .execute<{ sealed_token: string }[]>(`select "sealed_token" from "daraja_tokens"`, [], "all");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.sealed_token).join(" ")).not.toContain("plain0token0never0stored");
    expect((await store().load(APP))?.accessToken).toBe("plain0token0never0stored");
  });
});
