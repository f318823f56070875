import { randomBytes, randomInt } from "node:crypto";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000;

const pick = (alphabet: string, length: number) =>
  Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
const hex = (length: number) =>
  randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** The parts of an instant in Nairobi time (UTC+3, no DST), whatever the process time zone. */
export function nairobiParts(at: Date) {
  const nairobi = new Date(at.getTime() + NAIROBI_OFFSET_MS);
  return {
    year: pad(nairobi.getUTCFullYear(), 4),
    month: pad(nairobi.getUTCMonth() + 1),
    day: pad(nairobi.getUTCDate()),
    hours: pad(nairobi.getUTCHours()),
    minutes: pad(nairobi.getUTCMinutes()),
    seconds: pad(nairobi.getUTCSeconds()),
    millis: pad(nairobi.getUTCMilliseconds(), 3),
  };
}

/** Identifiers in the formats Daraja uses, freshly random. */
export const simulatorIds = {
  /**
   * `ws_CO_<ddMMyyyyHHmmssSSS><9-digit subscriber number>`, in Nairobi time, as Daraja issues them today.
   * Two pushes to one phone in the same millisecond would share one: the caller moves `at` on to avoid that.
   */
  checkoutRequestId(at: Date, phone: string): string {
    const p = nairobiParts(at);
    return `ws_CO_${p.day}${p.month}${p.year}${p.hours}${p.minutes}${p.seconds}${p.millis}${phone.slice(3)}`;
  },
  /** e.g. `2654-4b64-97ff-b827b542881d3130`. */
  merchantRequestId(): string {
    return `${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}${randomInt(1_000_000, 10_000_000)}`;
  },
  /** An M-Pesa receipt: 10 characters, a letter first, e.g. `TIK4QUB1VA`. */
  receipt(): string {
    return pick(UPPER, 3) + pick(UPPER_ALNUM, 7);
  },
  /** The placeholder TransactionID of a B2C attempt that created no transaction, e.g. `UAV0000000`. */
  placeholderReceipt(): string {
    return `${pick(UPPER, 3)}0000000`;
  },
  /** `AG_<yyyyMMdd>_<20 characters>`. */
  conversationId(at: Date): string {
    const p = nairobiParts(at);
    return `AG_${p.year}${p.month}${p.day}_${hex(20)}`;
  },
  /** What Daraja generates when the caller supplies no OriginatorConversationID, e.g. `62947-35666607-1`. */
  originatorConversationId(): string {
    return `${randomInt(10_000, 100_000)}-${randomInt(10_000_000, 100_000_000)}-1`;
  },
  /** The `requestId` of an error envelope. */
  requestId(): string {
    return `${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}${randomInt(1_000_000, 10_000_000)}`;
  },
  /** A token like Daraja's: 28 letters and digits. */
  accessToken(): string {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 28);
  },
};
