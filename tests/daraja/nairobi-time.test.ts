import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemClock } from "../../src/adapters/clock/system-clock.ts";
import { nairobiTimestamp } from "../../src/adapters/daraja/nairobi-timestamp.ts";
import { parseStkCallback } from "../../src/adapters/daraja/parse-stk-callback.ts";
import { SANDBOX_PASSKEY } from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { aPaybillPush, aTillPush, type DarajaRig, okValue, pathOf, startRig } from "./daraja-test-kit.ts";

/**
 * Daraja's timestamps are Nairobi time (UTC+3) whatever the server's time zone. This file runs the gateway and
 * the simulator under TZ=America/New_York (UTC-5 in January), where local time is eight hours behind Nairobi.
 * vitest runs each test file in its own process, and Node applies a TZ change at once.
 */
const originalTz = process.env.TZ;
process.env.TZ = "America/New_York";

// 2026-01-15 22:30:00 UTC is 2026-01-16 01:30:00 in Nairobi and 2026-01-15 17:30:00 in New York.
const INSTANT = new Date("2026-01-15T22:30:00.000Z");
const NAIROBI = "20260116013000";

const decode = (base64: unknown) => Buffer.from(String(base64), "base64").toString("utf8");

describe("timestamps in Nairobi time, with TZ=America/New_York on the process", () => {
  let rig: DarajaRig;
  const clock = new ManualClock(INSTANT);
  beforeAll(async () => {
    rig = await startRig({ simulator: { clock }, gateway: { clock } });
  });
  afterAll(async () => {
    await rig.close();
    process.env.TZ = originalTz;
  });

  it("really runs under New York time", () => {
    expect(INSTANT.getTimezoneOffset()).toBe(300);
    expect(INSTANT.getHours()).toBe(17);
    expect(INSTANT.toString()).toContain("GMT-0500");
  });

  it("formats an instant as Nairobi's wall clock, not the process's", () => {
    expect(nairobiTimestamp(INSTANT)).toBe(NAIROBI);
    expect(nairobiTimestamp(new Date("2026-12-31T21:00:00.000Z"))).toBe("20270101000000");
  });

  it("sends the same Nairobi timestamp in the body and inside the password", async () => {
    okValue(await rig.gateway.stkPush(aPaybillPush(rig.receiver)));
    const body = rig.simulator.stkPushBodies().at(-1) ?? {};
    expect(body.Timestamp).toBe(NAIROBI);
    expect(decode(body.Password)).toBe(`174379${SANDBOX_PASSKEY}${NAIROBI}`);
  });

  it("does the same for a till, with the store number inside the password", async () => {
    okValue(await rig.gateway.stkPush(aTillPush(rig.receiver)));
    const body = rig.simulator.stkPushBodies().at(-1) ?? {};
    expect(decode(body.Password)).toBe(`300584store-passkey-300584${NAIROBI}`);
  });

  it("matches Africa/Nairobi as the time zone database has it, on the machine's own clock", async () => {
    const realTime = rig.gatewayWith({ clock: new SystemClock() });
    const nairobi = (at: Date) =>
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "Africa/Nairobi",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        hourCycle: "h23",
      })
        .formatToParts(at)
        .filter((part) => part.type !== "literal")
        .map((part) => [part.type, part.value] as const);
    const stamp = (at: Date) => {
      const p = Object.fromEntries(nairobi(at));
      return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
    };
    const before = new Date();
    okValue(await realTime.stkPush(aPaybillPush(rig.receiver)));
    const after = new Date();
    const body = rig.simulator.stkPushBodies().at(-1) ?? {};
    expect([stamp(before), stamp(after)]).toContain(body.Timestamp);
    expect(decode(body.Password)).toBe(`174379${SANDBOX_PASSKEY}${String(body.Timestamp)}`);
  });

  it("has the simulator write the callback's TransactionDate in Nairobi time too", async () => {
    const push = aPaybillPush(rig.receiver);
    okValue(await rig.gateway.stkPush(push));
    const [callback] = await rig.receiver.waitFor(pathOf(push.callbackUrl));
    expect(okValue(parseStkCallback(callback?.body)).transactionDate).toBe(NAIROBI);
  });
});
