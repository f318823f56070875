/** Africa/Nairobi is UTC+3 all year (EAT): Kenya has no daylight saving time. */
export const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight in Nairobi (00:00 EAT) of the day `at` falls on there, whatever the process's time zone. */
export function startOfNairobiDay(at: Date): Date {
  const nairobi = at.getTime() + NAIROBI_OFFSET_MS;
  return new Date(nairobi - (((nairobi % DAY_MS) + DAY_MS) % DAY_MS) - NAIROBI_OFFSET_MS);
}
