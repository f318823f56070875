import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AesGcmSecretBox } from "../../src/adapters/crypto/aes-gcm-secret-box.ts";
import type { DarajaCallEvent } from "../../src/adapters/daraja/daraja-gateway-observer.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { DatabaseSharedTokenStore } from "../../src/adapters/persistence/database-shared-token-store.ts";
import { aPaybillPush, type DarajaRig, okValue, startRig } from "../daraja/daraja-test-kit.ts";
import { TEST_ENCRYPTION_KEY } from "../support/test-app.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const SHARED_KEY = "payme-shared-key";

/**
 * Two instances' Daraja gateways on one database, against a simulator that, as Daraja documents, ends an app's
 * token when it issues the next one.
 */
describe.each(testDatabaseKinds())("Daraja OAuth tokens across instances — %s", (kind) => {
  let opened: { database: Database; drop: () => Promise<void> } | null = null;
  let rig: DarajaRig | null = null;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(() => opened?.drop());
  afterEach(async () => {
    await rig?.close();
    rig = null;
    await opened?.database.orm.em.fork().getConnection().execute(`delete from "daraja_tokens"`);
  });
  const sharedStore = () => {
    if (opened === null) {
      throw new Error("not open");
    }
    return new DatabaseSharedTokenStore(
      opened.database.orm,
      new AesGcmSecretBox(TEST_ENCRYPTION_KEY),
      (error) => {
        throw error;
      },
    );
  };

  it("without sharing, the simulator reproduces it: a second instance's new token knocks out the first's", async () => {
    rig = await startRig({ simulator: { oneTokenPerApp: true } });
    const retried: boolean[] = [];
    const observer = {
      onCall: (event: DarajaCallEvent) =>
        event.operation === "stk_push" && retried.push(event.retriedAfterInvalidToken),
    };
    const a = rig.gatewayWith({ observer });
    const b = rig.gatewayWith({});
    okValue(await a.stkPush(aPaybillPush(rig.receiver)));
    okValue(await b.stkPush(aPaybillPush(rig.receiver)));
    // A's token was ended by B's: Daraja refuses it, A fetches a fresh one and sends once more.
    okValue(await a.stkPush(aPaybillPush(rig.receiver)));
    expect(retried.filter((r) => r)).toHaveLength(1);
    expect(rig.simulator.stats().oauthRequests).toEqual({ [SHARED_KEY]: 3 });
  });

  it("sharing the token through the database, a second instance uses the first's token instead of ending it", async () => {
    rig = await startRig({ simulator: { oneTokenPerApp: true } });
    const retried: boolean[] = [];
    const observer = {
      onCall: (event: DarajaCallEvent) =>
        event.operation === "stk_push" && retried.push(event.retriedAfterInvalidToken),
    };
    const a = rig.gatewayWith({ sharedTokens: sharedStore(), observer });
    const b = rig.gatewayWith({ sharedTokens: sharedStore(), observer });
    okValue(await a.stkPush(aPaybillPush(rig.receiver)));
    okValue(await b.stkPush(aPaybillPush(rig.receiver)));
    okValue(await a.stkPush(aPaybillPush(rig.receiver)));
    okValue(await b.stkPush(aPaybillPush(rig.receiver)));
    expect(rig.simulator.stats().oauthRequests).toEqual({ [SHARED_KEY]: 1 });
    expect(retried).toEqual([false, false, false, false]);
  });

  it("after Daraja refuses the token, one instance fetches a fresh one and the other takes it from the database", async () => {
    rig = await startRig({ simulator: { oneTokenPerApp: true } });
    const retried: boolean[] = [];
    const observer = {
      onCall: (event: DarajaCallEvent) =>
        event.operation === "stk_push" && retried.push(event.retriedAfterInvalidToken),
    };
    const a = rig.gatewayWith({ sharedTokens: sharedStore(), observer });
    const b = rig.gatewayWith({ sharedTokens: sharedStore(), observer });
    okValue(await a.stkPush(aPaybillPush(rig.receiver)));
    okValue(await b.stkPush(aPaybillPush(rig.receiver)));
    rig.simulator.revokeTokens();

    // A is refused, fetches a fresh token (the stored one is the refused one) and sends again.
    okValue(await a.stkPush(aPaybillPush(rig.receiver)));
    // B is refused with the old token too, and finds A's fresh one in the database: no token request of its own,
    // which would have ended A's.
    okValue(await b.stkPush(aPaybillPush(rig.receiver)));
    okValue(await a.stkPush(aPaybillPush(rig.receiver)));
    expect(rig.simulator.stats().oauthRequests).toEqual({ [SHARED_KEY]: 2 });
    expect(retried).toEqual([false, false, true, true, false]);
  });
});
