import { createHash } from "node:crypto";
import { CLIENT_SCRIPT } from "./client-script.ts";
import { STYLES } from "./styles.ts";

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/**
 * The pages' policy: nothing loads from anywhere (no CDN, no third party); the one inline stylesheet and the
 * one inline script run because their hashes are listed; fetches go only to PayMe itself; forms post only to
 * PayMe; no other site may frame a page (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${hash(STYLES)}`,
  `script-src ${hash(CLIENT_SCRIPT)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");
