const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Bytes as a base62 number, left-padded with "0" to the length every input of that many bytes needs (32 bytes:
 * 43 characters), so that every secret of a kind has the same length.
 */
export function base62(bytes: Uint8Array): string {
  const width = Math.ceil((bytes.length * 8) / Math.log2(62));
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 8n) | BigInt(byte);
  }
  let text = "";
  while (value > 0n) {
    text = ALPHABET.charAt(Number(value % 62n)) + text;
    value /= 62n;
  }
  return text.padStart(width, "0");
}

export const BASE62 = /^[0-9A-Za-z]+$/;
