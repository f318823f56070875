const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000;

const FORMATS: readonly RegExp[] = [
  // STK TransactionDate, Transaction Status InitiatedTime/FinalisedTime: yyyyMMddHHmmss.
  /^(?<year>\d{4})(?<month>\d{2})(?<day>\d{2})(?<hours>\d{2})(?<minutes>\d{2})(?<seconds>\d{2})$/,
  // B2C TransactionCompletedDateTime: dd.MM.yyyy HH:mm:ss.
  /^(?<day>\d{2})\.(?<month>\d{2})\.(?<year>\d{4}) (?<hours>\d{2}):(?<minutes>\d{2}):(?<seconds>\d{2})$/,
];

/**
 * The instant an M-Pesa time names. M-Pesa writes local Nairobi time (UTC+3) without a zone, as
 * `yyyyMMddHHmmss` or `dd.MM.yyyy HH:mm:ss`; a number is read as its digits. Null for anything else, including
 * impossible dates (31.02…).
 */
export function parseMpesaTime(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined) {
    return null;
  }
  const text = String(value).trim();
  for (const format of FORMATS) {
    const groups = format.exec(text)?.groups;
    if (groups === undefined) {
      continue;
    }
    const [year, month, day, hours, minutes, seconds] = [
      "year",
      "month",
      "day",
      "hours",
      "minutes",
      "seconds",
    ].map((name) => Number(groups[name])) as [number, number, number, number, number, number];
    const local = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
    const valid =
      local.getUTCFullYear() === year &&
      local.getUTCMonth() === month - 1 &&
      local.getUTCDate() === day &&
      local.getUTCHours() === hours &&
      local.getUTCMinutes() === minutes &&
      local.getUTCSeconds() === seconds;
    return valid ? new Date(local.getTime() - NAIROBI_OFFSET_MS) : null;
  }
  return null;
}
