import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "./config.ts";

export type Secrets = {
  readonly jwtSecret: string;
  /** Base64 of 32 bytes: the key that seals secrets at rest now. */
  readonly encryptionKey: string;
  /** Older keys, still accepted for opening until `npm run rotate-keys` has re-sealed everything. */
  readonly retiredEncryptionKeys: readonly string[];
};

/**
 * The secrets the server runs with. Outside production a missing one is generated once and kept under
 * DATA_DIR (readable by its owner only), so tokens survive a restart; production never gets here without them.
 */
export async function loadSecrets(config: Config): Promise<Secrets> {
  return {
    jwtSecret:
      config.jwtSecret ??
      (await readOrCreate(config, "jwt-secret", () => randomBytes(48).toString("base64url"))),
    encryptionKey:
      config.encryptionKey ??
      (await readOrCreate(config, "encryption-key", () => randomBytes(32).toString("base64"))),
    retiredEncryptionKeys: config.encryptionKeysRetired,
  };
}

async function readOrCreate(config: Config, name: string, generate: () => string): Promise<string> {
  if (config.mpesa.environment === "production") {
    throw new Error(`${name} must come from the environment in production`);
  }
  const directory = join(config.dataDir, "secrets");
  const file = join(directory, name);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw error;
    }
  }
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const secret = generate();
  // "wx": if another process created it meanwhile, fail rather than overwrite, and read theirs.
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return (await readFile(file, "utf8")).trim();
    }
    throw error;
  }
}
