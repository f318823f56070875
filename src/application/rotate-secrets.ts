import type { SealedSecret } from "../domain/sealed-secret.ts";
import type { SecretBox } from "./ports/secret-box.ts";
import type { UnitOfWork } from "./ports/unit-of-work.ts";

export type RotationReport = {
  readonly examined: number;
  readonly resealed: number;
  /** Configs whose secrets no configured key opens: the key that sealed them is missing from the environment. */
  readonly unreadable: readonly string[];
};

const PAGE = 100;

/**
 * Re-seals every stored secret that an older key sealed, under the current key (`npm run rotate-keys`). Safe to
 * run again, and alongside the server: it changes only the sealed columns. A secret that no configured key
 * opens is reported, not fatal. Once nothing is left to re-seal and nothing is unreadable, the old key can leave
 * ENCRYPTION_KEYS_RETIRED.
 */
export class RotateSecrets {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly secretBox: SecretBox }) {}

  async execute(): Promise<RotationReport> {
    let examined = 0;
    let resealed = 0;
    const unreadable: string[] = [];
    let after: string | null = null;
    for (;;) {
      const configs = await this.deps.uow.run((r) => r.paymentConfigs.listAfter(after, PAGE));
      for (const config of configs) {
        examined += 1;
        const consumerSecret = config.ownApp?.consumerSecret ?? null;
        if (!this.stale(config.passkey) && (consumerSecret === null || !this.stale(consumerSecret))) {
          continue;
        }
        let passkey: SealedSecret;
        let secret: SealedSecret | null;
        try {
          passkey = await this.reseal(config.passkey);
          secret = consumerSecret === null ? null : await this.reseal(consumerSecret);
        } catch {
          // Sealed under a key that is neither current nor retired: report it and go on with the rest.
          unreadable.push(config.id);
          continue;
        }
        await this.deps.uow.run((r) => r.paymentConfigs.replaceSecrets(config.id, passkey, secret));
        resealed += 1;
      }
      const last = configs.at(-1);
      if (last === undefined || configs.length < PAGE) {
        return { examined, resealed, unreadable };
      }
      after = last.id;
    }
  }

  private stale(sealed: SealedSecret): boolean {
    return this.deps.secretBox.isStale(sealed);
  }

  private async reseal(sealed: SealedSecret): Promise<SealedSecret> {
    return this.stale(sealed) ? this.deps.secretBox.seal(await this.deps.secretBox.open(sealed)) : sealed;
  }
}
