import {
  SECRET_FIELDS,
  type SealedSecret,
  type SecretField,
  secretBinding,
} from "../../domain/sealed-secret.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { Repositories, UnitOfWork } from "../ports/unit-of-work.ts";

export type RotationReport = {
  /** Configs looked at, payment and payout configs together. */
  readonly examined: number;
  readonly resealed: number;
  /**
   * Configs whose secrets do not open: the key that sealed them is missing from the environment, or the sealed
   * text was altered or moved from another row.
   */
  readonly unreadable: readonly string[];
};

const PAGE = 100;

/** The repositories of the configs that keep sealed secrets. */
type SealedRepository = "paymentConfigs" | "payoutConfigs" | "webhookEndpoints";

type SealedPair = { readonly main: SealedSecret; readonly consumerSecret: SealedSecret | null };
/** `secrets` is null for a row that keeps none of this store's secrets. */
type SealedRow = { readonly id: string; readonly businessId: string; readonly secrets: SealedPair | null };

/** A kind of config that keeps sealed secrets: how to page through it, read its secrets, and put them back. */
type SealedStore = {
  /** The fields its two secrets are bound to. */
  readonly fields: { readonly main: SecretField; readonly consumerSecret: SecretField };
  readonly list: (
    r: Pick<Repositories, SealedRepository>,
    after: string | null,
  ) => Promise<readonly SealedRow[]>;
  readonly replace: (
    r: Pick<Repositories, SealedRepository>,
    id: string,
    secrets: SealedPair,
  ) => Promise<void>;
};

const STORES: readonly SealedStore[] = [
  {
    fields: { main: SECRET_FIELDS.passkey, consumerSecret: SECRET_FIELDS.paymentConsumerSecret },
    list: async (r, after) =>
      (await r.paymentConfigs.listAfter(after, PAGE)).map((c) => ({
        id: c.id,
        businessId: c.businessId,
        secrets: { main: c.passkey, consumerSecret: c.ownApp?.consumerSecret ?? null },
      })),
    replace: (r, id, s) => r.paymentConfigs.replaceSecrets(id, s.main, s.consumerSecret),
  },
  {
    // The receiving shortcode's initiator, kept by payment configs that have one.
    fields: {
      main: SECRET_FIELDS.paymentInitiatorPassword,
      consumerSecret: SECRET_FIELDS.paymentConsumerSecret,
    },
    list: async (r, after) => {
      const page = await r.paymentConfigs.listAfter(after, PAGE);
      // Paged over every config, so that the page's last id moves on; those without an initiator hold nothing.
      return page.map((c) => ({
        id: c.id,
        businessId: c.businessId,
        secrets: c.initiator === null ? null : { main: c.initiator.password, consumerSecret: null },
      }));
    },
    replace: (r, id, s) => r.paymentConfigs.replaceInitiatorSecret(id, s.main),
  },
  {
    fields: { main: SECRET_FIELDS.initiatorPassword, consumerSecret: SECRET_FIELDS.payoutConsumerSecret },
    list: async (r, after) =>
      (await r.payoutConfigs.listAfter(after, PAGE)).map((c) => ({
        id: c.id,
        businessId: c.businessId,
        secrets: { main: c.initiatorPassword, consumerSecret: c.ownApp?.consumerSecret ?? null },
      })),
    replace: (r, id, s) => r.payoutConfigs.replaceSecrets(id, s.main, s.consumerSecret),
  },
  {
    // A webhook endpoint's signing secret, and the one before a rotation while it may still sign.
    fields: { main: SECRET_FIELDS.webhookSecret, consumerSecret: SECRET_FIELDS.webhookSecret },
    list: async (r, after) =>
      (await r.webhookEndpoints.listAfter(after, PAGE)).map((e) => {
        const s = e.snapshot();
        return {
          id: s.id,
          businessId: s.businessId,
          secrets: { main: s.secret, consumerSecret: s.previousSecret },
        };
      }),
    replace: (r, id, s) => r.webhookEndpoints.replaceSecrets(id, s.main, s.consumerSecret),
  },
];

/**
 * Re-seals every stored secret that needs it under the current key (`npm run rotate-keys`): the passkeys and
 * consumer secrets (and initiator passwords) of payment configs, the initiator passwords and consumer secrets of
 * payout configs, and the signing secrets of webhook endpoints. A
 * secret needs it when an older key sealed it, or when it was sealed before secrets were bound to their business
 * and field: it is then sealed again, bound to the business and field of the row it is in. Safe to run again,
 * and alongside the server: it changes only the sealed columns. A secret that no configured key opens is
 * reported, not fatal. Once nothing is left to re-seal and nothing is unreadable, the old key can leave
 * ENCRYPTION_KEYS_RETIRED.
 */
export class RotateSecrets {
  constructor(
    private readonly deps: { readonly uow: UnitOfWork<SealedRepository>; readonly secretBox: SecretBox },
  ) {}

  async execute(): Promise<RotationReport> {
    let examined = 0;
    let resealed = 0;
    const unreadable: string[] = [];
    for (const store of STORES) {
      let after: string | null = null;
      for (;;) {
        const from: string | null = after;
        const page: readonly SealedRow[] = await this.deps.uow.run((r) => store.list(r, from));
        for (const { id, businessId, secrets } of page) {
          if (secrets === null) {
            continue;
          }
          examined += 1;
          if (
            !this.stale(secrets.main) &&
            (secrets.consumerSecret === null || !this.stale(secrets.consumerSecret))
          ) {
            continue;
          }
          let fresh: SealedPair;
          try {
            fresh = {
              main: await this.reseal(secrets.main, businessId, store.fields.main),
              consumerSecret:
                secrets.consumerSecret === null
                  ? null
                  : await this.reseal(secrets.consumerSecret, businessId, store.fields.consumerSecret),
            };
          } catch {
            // Sealed under a key that is neither current nor retired (or altered): report it and go on.
            unreadable.push(id);
            continue;
          }
          await this.deps.uow.run((r) => store.replace(r, id, fresh));
          resealed += 1;
        }
        const last = page.at(-1);
        if (last === undefined || page.length < PAGE) {
          break;
        }
        after = last.id;
      }
    }
    return { examined, resealed, unreadable };
  }

  private stale(sealed: SealedSecret): boolean {
    return this.deps.secretBox.isStale(sealed);
  }

  private async reseal(sealed: SealedSecret, businessId: string, field: SecretField): Promise<SealedSecret> {
    if (!this.stale(sealed)) {
      return sealed;
    }
    const binding = secretBinding(businessId, field);
    return this.deps.secretBox.seal(await this.deps.secretBox.open(sealed, binding), binding);
  }
}
