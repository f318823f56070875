/** `sk_test_` (simulator and sandbox) or `sk_live_` (production), then 32 random bytes in base62: 43 characters. */
export const API_KEY_FORM = /^sk_(test|live)_[0-9A-Za-z]{43}$/;

/** How many characters of a key are shown in lists (`sk_live_AbCd`). */
export const API_KEY_PREFIX_LENGTH = 12;

/** How many characters of a key its indexed lookup column holds: the kind prefix and 12 random characters. */
export const API_KEY_LOOKUP_LENGTH = 20;

/** True for a bearer credential that claims to be an API key (rather than a JWT). */
export const looksLikeApiKey = (credential: string): boolean => credential.startsWith("sk_");

/**
 * Compares two hex digests in time that depends only on their length, so that a guess learns nothing from how
 * long the comparison took.
 */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) {
    difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return difference === 0;
}
