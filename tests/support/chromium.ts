import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Debian's chromium package; CHROMIUM_PATH points elsewhere. Tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Without these, Chromium reaches for Google's services at start and on every page (updates, sync, field
 * trials, QUIC), which this machine's closed network refuses, many connections at a time.
 */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type Chromium = { readonly context: BrowserContext; close(): Promise<void> };

const INSTALL =
  "Install Debian's package: apt-get install -y --no-install-recommends chromium fonts-liberation " +
  "(.ci/run does this), or set CHROMIUM_PATH to a Chromium binary.";

/**
 * Whether the browser tests run here. Without Chromium they are skipped, saying why, so that `npm test` works on
 * a new machine; CI sets PAYME_REQUIRE_BROWSER=1, and there a missing browser fails the run instead.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) {
    return true;
  }
  if (process.env.PAYME_REQUIRE_BROWSER === "1") {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}, and this run requires the browser tests. ${INSTALL}`,
    );
  }
  console.info(
    `[tests] skipped the browser tests: Chromium is not installed at ${CHROMIUM_PATH}. ${INSTALL}`,
  );
  return false;
}

/** Headless Chromium with a fresh, empty profile (its own --user-data-dir, removed on close), driven by playwright-core. */
export async function launchChromium(options: { width: number; height: number }): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}, so the browser tests cannot run. ${INSTALL}`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), "payme-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: options.width, height: options.height },
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
