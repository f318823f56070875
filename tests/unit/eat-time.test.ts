import { describe, expect, it } from "vitest";
import { readEatTime } from "../../src/adapters/http/eat-time.ts";

describe("times in list filters", () => {
  it("reads dates as midnight EAT, and times as EAT unless they carry a zone", () => {
    const cases: [string, string, boolean][] = [
      ["2026-12-04", "2026-12-03T21:00:00.000Z", true],
      ["2026-12-04T09:30", "2026-12-04T06:30:00.000Z", false],
      ["2026-12-04 09:30:15", "2026-12-04T06:30:15.000Z", false],
      ["2026-12-04T09:30:15.25", "2026-12-04T06:30:15.250Z", false],
      ["2026-12-04T09:30:15.123456", "2026-12-04T06:30:15.123Z", false],
      ["2026-12-04T09:30Z", "2026-12-04T09:30:00.000Z", false],
      ["2026-12-04T09:30:00+01:00", "2026-12-04T08:30:00.000Z", false],
      ["2026-12-04T09:30:00-0500", "2026-12-04T14:30:00.000Z", false],
      ["2024-02-29", "2024-02-28T21:00:00.000Z", true],
    ];
    for (const [text, instant, date] of cases) {
      const read = readEatTime(text);
      expect(read?.at.toISOString(), text).toBe(instant);
      expect(read?.date, text).toBe(date);
    }
  });

  it("refuses what is no date or time, and dates that do not exist", () => {
    for (const text of [
      "",
      "yesterday",
      "2026-02-30",
      "2025-02-29",
      "2026-13-01",
      "2026-12-04T24:00",
      "2026-12-04T09:60",
      "2026-12-04T09:30+15:00",
      "1733300000",
      "2026-12-4",
      "+275760-09-13",
      "2026-12-04T09:30:00Z; drop table payouts",
    ]) {
      expect(readEatTime(text), text).toBeNull();
    }
  });
});
