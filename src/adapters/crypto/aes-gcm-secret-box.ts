import { createHash, type webcrypto } from "node:crypto";
import type { SecretBox } from "../../application/ports/secret-box.ts";
import { type SealedSecret, type SecretBinding, sealedSecret } from "../../domain/sealed-secret.ts";

/** Sealed for one business and field (the binding is in the additional data). */
const VERSION = "v2";
/** Sealed before secrets were bound: still opened, anywhere, until `npm run rotate-keys` re-seals it. */
const UNBOUND_VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** A 32-byte key, from its base64 (standard or URL-safe) text; null when it is not one. */
export function decodeKey(text: string): Uint8Array | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    return null;
  }
  const bytes = Buffer.from(trimmed, /[-_]/.test(trimmed) ? "base64url" : "base64");
  return bytes.byteLength === KEY_BYTES ? new Uint8Array(bytes) : null;
}

/** The name a key goes by in ciphertexts: the first 8 bytes of its SHA-256, in hex. Reveals nothing usable. */
export function keyFingerprint(key: Uint8Array): string {
  return createHash("sha256").update(key).digest().subarray(0, 8).toString("hex");
}

type NamedKey = { readonly fingerprint: string; readonly raw: Uint8Array };

/**
 * AES-256-GCM through WebCrypto. A sealed secret reads `v2.<key fingerprint>.<iv>.<ciphertext+tag>` (base64url),
 * so it names the key that sealed it: the current key seals, and the current or any retired key opens. The
 * additional data binds the version, the fingerprint, the business and the field, so none of them can be
 * swapped: a ciphertext moved to another business's row or to another field fails authentication.
 *
 * `v1` secrets were sealed with only the version and fingerprint as additional data. They still open (wherever
 * they are), and count as stale so that a rotation re-seals them as `v2`.
 */
export class AesGcmSecretBox implements SecretBox {
  private readonly current: NamedKey;
  private readonly keys: Promise<ReadonlyMap<string, webcrypto.CryptoKey>>;

  /** Keys as base64 text; each must be 32 bytes. Throws when one is not (configuration checks this first). */
  constructor(currentKey: string, retiredKeys: readonly string[] = []) {
    const named = [currentKey, ...retiredKeys].map((text, index): NamedKey => {
      const raw = decodeKey(text);
      if (raw === null) {
        throw new Error(
          `${index === 0 ? "the current" : "a retired"} encryption key is not 32 bytes of base64`,
        );
      }
      return { fingerprint: keyFingerprint(raw), raw };
    });
    const [current] = named;
    if (current === undefined) {
      throw new Error("no encryption key");
    }
    this.current = current;
    this.keys = Promise.all(
      named.map(
        async ({ fingerprint, raw }) =>
          [
            fingerprint,
            await crypto.subtle.importKey("raw", new Uint8Array(raw), "AES-GCM", false, [
              "encrypt",
              "decrypt",
            ]),
          ] as const,
      ),
    ).then((entries) => new Map(entries));
  }

  async seal(plaintext: string, binding: SecretBinding): Promise<SealedSecret> {
    const key = await this.key(this.current.fingerprint);
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ciphertext = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: boundData(this.current.fingerprint, binding) },
      key,
      new TextEncoder().encode(plaintext),
    );
    return sealedSecret(
      [VERSION, this.current.fingerprint, b64(iv), b64(new Uint8Array(ciphertext))].join("."),
    );
  }

  async open(sealed: SealedSecret, binding: SecretBinding): Promise<string> {
    const [version, fingerprint, iv, ciphertext, ...rest] = sealed.split(".");
    if (
      (version !== VERSION && version !== UNBOUND_VERSION) ||
      fingerprint === undefined ||
      iv === undefined ||
      ciphertext === undefined ||
      rest.length > 0
    ) {
      throw new Error("not a sealed secret");
    }
    const key = await this.key(fingerprint);
    const additionalData = version === VERSION ? boundData(fingerprint, binding) : unboundData(fingerprint);
    let plaintext: ArrayBuffer;
    try {
      plaintext = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromB64(iv), additionalData },
        key,
        fromB64(ciphertext),
      );
    } catch (error) {
      throw new Error(
        `a ${binding.field} secret of business ${binding.businessId} does not open: it was altered, or sealed for another business or field`,
        { cause: error },
      );
    }
    return new TextDecoder().decode(plaintext);
  }

  isStale(sealed: SealedSecret): boolean {
    const [version, fingerprint] = sealed.split(".");
    return version !== VERSION || fingerprint !== this.current.fingerprint;
  }

  /** The current key's fingerprint, for logs and rotation reports. */
  get currentFingerprint(): string {
    return this.current.fingerprint;
  }

  private async key(fingerprint: string): Promise<webcrypto.CryptoKey> {
    const key = (await this.keys).get(fingerprint);
    if (key === undefined) {
      throw new Error(`the key ${fingerprint} that sealed this secret is neither current nor retired`);
    }
    return key;
  }
}

/** The additional data of a `v2` secret: a JSON array, so that no two bindings encode alike. */
const boundData = (fingerprint: string, binding: SecretBinding) =>
  new TextEncoder().encode(JSON.stringify([VERSION, fingerprint, binding.field, binding.businessId]));
const unboundData = (fingerprint: string) => new TextEncoder().encode(`${UNBOUND_VERSION}.${fingerprint}`);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));
