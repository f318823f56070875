import * as v from "valibot";
import { NAIROBI_OFFSET_MS } from "../../domain/nairobi-day.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A calendar date or a time, as written in a query; `date` when only the day was given. */
type WrittenTime = { readonly at: Date; readonly date: boolean };

/**
 * Reads an ISO 8601 date (`2026-12-04`) or time (`2026-12-04T09:30`, `…T09:30:15.250`, with `Z` or an offset
 * such as `+03:00`). A date means its midnight in Nairobi, and a time without a zone is Nairobi time (EAT,
 * UTC+3). Null for anything else, including dates that do not exist (`2026-02-30`).
 */
export function readEatTime(text: string): WrittenTime | null {
  const match = PATTERN.exec(text.trim());
  if (match === null) {
    return null;
  }
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const [y, mo, d] = [Number(year), Number(month), Number(day)];
  const [h, mi, s] = [Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0)];
  const ms = Number((fraction ?? "0").padEnd(3, "0"));
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const calendar = new Date(Date.UTC(y, mo - 1, d));
  if (
    calendar.getUTCFullYear() !== y ||
    calendar.getUTCMonth() !== mo - 1 ||
    calendar.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    return null;
  }
  const offset = zoneOffsetMs(zone);
  if (offset === null) {
    return null;
  }
  return { at: new Date(utc - offset), date: hour === undefined };
}

/** The zone's offset from UTC: Nairobi's when none is written; null when it is not a real one. */
function zoneOffsetMs(zone: string | undefined): number | null {
  if (zone === undefined) {
    return NAIROBI_OFFSET_MS;
  }
  if (zone.toUpperCase() === "Z") {
    return 0;
  }
  const digits = zone.slice(1).replace(":", "");
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  if (hours > 14 || minutes > 59) {
    return null;
  }
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

const MESSAGE =
  "must be an ISO 8601 date or time, such as 2026-12-04 or 2026-12-04T09:30 (EAT unless a zone is given)";

const eatTime = (instant: (written: WrittenTime) => Date) =>
  v.pipe(
    v.string(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const written = readEatTime(dataset.value);
      if (written === null) {
        addIssue({ message: MESSAGE });
        return NEVER;
      }
      return instant(written);
    }),
  );

/** `?from=`: the first instant a list includes. A date starts at its midnight (EAT). */
export const fromQuery = eatTime((written) => written.at);

/**
 * `?to=`: the end of what a list includes, given as the first instant it leaves out. A date includes its whole
 * day (EAT); a time includes that instant.
 */
export const toQuery = eatTime((written) => new Date(written.at.getTime() + (written.date ? DAY_MS : 1)));
