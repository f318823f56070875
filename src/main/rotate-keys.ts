import { AesGcmSecretBox } from "../adapters/crypto/aes-gcm-secret-box.ts";
import { Database } from "../adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { RotateSecrets } from "../application/payment-configs/rotate-secrets.ts";
import { describeConfigIssues, loadConfig } from "./config.ts";
import { loadSecrets } from "./development-secrets.ts";

/**
 * `npm run rotate-keys`: re-seals every secret at rest that needs it under ENCRYPTION_KEY, bound to its business
 * and field: those an older key sealed, and those sealed before secrets were bound (format v1). Put the old key
 * in ENCRYPTION_KEYS_RETIRED first (so it can still open them); once this reports everything re-sealed, remove it.
 */
const loaded = loadConfig(process.env);
if (!loaded.ok) {
  console.error(describeConfigIssues(loaded.issues));
  process.exit(1);
}
const secrets = await loadSecrets(loaded.config);
const secretBox = new AesGcmSecretBox(secrets.encryptionKey, secrets.retiredEncryptionKeys);
const database = await Database.open(loaded.config.database);
try {
  await database.migrate();
  const report = await new RotateSecrets({ uow: new MikroOrmUnitOfWork(database), secretBox }).execute();
  console.info(
    `re-sealed ${report.resealed} of ${report.examined} payment configs, payout configs and webhook endpoints under key ${secretBox.currentFingerprint}, each secret bound to its business and field`,
  );
  if (report.unreadable.length > 0) {
    console.error(
      `${report.unreadable.length} configs have secrets that do not open: sealed under a key missing from ` +
        `ENCRYPTION_KEY and ENCRYPTION_KEYS_RETIRED, or altered or moved from another row: ${report.unreadable.join(", ")}`,
    );
    process.exitCode = 1;
  } else {
    console.info("every secret now opens with ENCRYPTION_KEY alone, and only in its own business and field");
  }
} finally {
  await database.close();
}
