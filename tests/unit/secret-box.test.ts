import { describe, expect, it } from "vitest";
import { AesGcmSecretBox } from "../../src/adapters/crypto/aes-gcm-secret-box.ts";
import { SECRET_FIELDS, sealedSecret, secretBinding } from "../../src/domain/sealed-secret.ts";
import { LEGACY_SEALED, LEGACY_SEALING_KEY } from "../support/legacy-sealed-secrets.ts";

const KEY = Buffer.alloc(32, 41).toString("base64");
const OLD_KEY = Buffer.alloc(32, 42).toString("base64");
const shopA = secretBinding("0193a4c2-0000-7000-8000-00000000000a", SECRET_FIELDS.passkey);
const shopB = secretBinding("0193a4c2-0000-7000-8000-00000000000b", SECRET_FIELDS.passkey);

describe("AesGcmSecretBox", () => {
  it("opens a secret only for the business and the field it was sealed for", async () => {
    const box = new AesGcmSecretBox(KEY);
    const sealed = await box.seal("the-passkey", shopA);
    expect(sealed).toMatch(/^v2\.[0-9a-f]{16}\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(shopA.businessId);
    expect(await box.open(sealed, shopA)).toBe("the-passkey");
    await expect(box.open(sealed, shopB)).rejects.toThrow(/does not open/);
    for (const field of [
      SECRET_FIELDS.paymentConsumerSecret,
      SECRET_FIELDS.initiatorPassword,
      SECRET_FIELDS.payoutConsumerSecret,
    ]) {
      await expect(box.open(sealed, { ...shopA, field })).rejects.toThrow(/does not open/);
    }
  });

  it("cannot be fooled by changing the version or fingerprint, nor by an altered ciphertext", async () => {
    const box = new AesGcmSecretBox(KEY);
    const sealed = await box.seal("the-passkey", shopA);
    const [, fingerprint, iv, ciphertext] = sealed.split(".");
    // Relabelled as an unbound v1 secret, it would open anywhere if the version were not authenticated.
    await expect(box.open(sealedSecret(`v1.${fingerprint}.${iv}.${ciphertext}`), shopB)).rejects.toThrow();
    const flipped = `${ciphertext?.slice(0, -2)}${ciphertext?.endsWith("AA") ? "AB" : "AA"}`;
    await expect(box.open(sealedSecret(`v2.${fingerprint}.${iv}.${flipped}`), shopA)).rejects.toThrow();
    await expect(box.open(sealedSecret("v3.x.y.z"), shopA)).rejects.toThrow(/not a sealed secret/);
  });

  it("still opens secrets sealed before binding (v1), anywhere, and calls them stale", async () => {
    const box = new AesGcmSecretBox(KEY, [LEGACY_SEALING_KEY]);
    const legacy = sealedSecret(LEGACY_SEALED.passkey.sealed);
    expect(await box.open(legacy, shopA)).toBe(LEGACY_SEALED.passkey.plaintext);
    expect(await box.open(legacy, shopB)).toBe(LEGACY_SEALED.passkey.plaintext);
    expect(box.isStale(legacy)).toBe(true);
    // Under the current key too: stale until re-sealed with its binding.
    const current = new AesGcmSecretBox(LEGACY_SEALING_KEY);
    expect(current.isStale(legacy)).toBe(true);
    expect(current.isStale(await current.seal("fresh", shopA))).toBe(false);
  });

  it("opens what a retired key sealed, which is stale until re-sealed under the current key", async () => {
    const sealedBefore = await new AesGcmSecretBox(OLD_KEY).seal("the-passkey", shopA);
    const rotated = new AesGcmSecretBox(KEY, [OLD_KEY]);
    expect(await rotated.open(sealedBefore, shopA)).toBe("the-passkey");
    expect(rotated.isStale(sealedBefore)).toBe(true);
    await expect(rotated.open(sealedBefore, shopB)).rejects.toThrow(/does not open/);
    await expect(new AesGcmSecretBox(KEY).open(sealedBefore, shopA)).rejects.toThrow(
      /neither current nor retired/,
    );
  });
});
