/** Africa/Nairobi is UTC+3 all year: Kenya has no daylight saving time. */
const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000;

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/**
 * Daraja's `Timestamp` for an instant: `YYYYMMDDHHmmss` in Nairobi time (EAT, UTC+3).
 * Computed from the instant itself, never from the process time zone, so it is the same under any `TZ`.
 */
export function nairobiTimestamp(at: Date): string {
  const nairobi = new Date(at.getTime() + NAIROBI_OFFSET_MS);
  return (
    pad(nairobi.getUTCFullYear(), 4) +
    pad(nairobi.getUTCMonth() + 1) +
    pad(nairobi.getUTCDate()) +
    pad(nairobi.getUTCHours()) +
    pad(nairobi.getUTCMinutes()) +
    pad(nairobi.getUTCSeconds())
  );
}
