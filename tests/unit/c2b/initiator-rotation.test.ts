import { describe, expect, it } from "vitest";
import { AesGcmSecretBox } from "../../../src/adapters/crypto/aes-gcm-secret-box.ts";
import { InMemoryUnitOfWork } from "../../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { RotateSecrets } from "../../../src/application/payment-configs/rotate-secrets.ts";
import { PaymentConfig } from "../../../src/domain/payment-config.ts";
import { SECRET_FIELDS, type SecretField, secretBinding } from "../../../src/domain/sealed-secret.ts";
import { aBusiness, anAccountName, anId, aShortcode, aUser, T0, unwrap } from "../../support/builders.ts";

const OLD_KEY = Buffer.alloc(32, 1).toString("base64");
const NEW_KEY = Buffer.alloc(32, 2).toString("base64");

describe("rotating the keys of payment configs' initiators", () => {
  it("re-seals a payment config's initiator password under the current key, bound to its field", async () => {
    const uow = new InMemoryUnitOfWork();
    const user = aUser();
    const business = aBusiness(user.id);
    const bound = (field: SecretField) => secretBinding(business.id, field);
    const old = new AesGcmSecretBox(OLD_KEY);
    const config = unwrap(
      PaymentConfig.create({
        id: anId(),
        businessId: business.id,
        method: "till",
        shortcode: aShortcode("5123456"),
        storeNumber: null,
        accountReference: null,
        accountName: anAccountName("Duka"),
        passkey: await old.seal("the-passkey", bound(SECRET_FIELDS.passkey)),
        ownApp: null,
        initiator: {
          name: "apiop",
          password: await old.seal("Op-Secret-1", bound(SECRET_FIELDS.paymentInitiatorPassword)),
        },
        createdAt: T0,
      }),
    );
    await uow.run(async (r) => {
      await r.users.add(user);
      await r.businesses.add(business);
      await r.paymentConfigs.add(config);
    });
    const current = new AesGcmSecretBox(NEW_KEY, [OLD_KEY]);
    const rotate = new RotateSecrets({ uow, secretBox: current });
    expect(await rotate.execute()).toMatchObject({ resealed: 2, unreadable: [] });
    const stored = await uow.run((r) => r.paymentConfigs.findById(config.id));
    const password = stored?.initiator?.password;
    expect(password).toBeDefined();
    if (password === undefined) {
      return;
    }
    expect(current.isStale(password)).toBe(false);
    expect(await current.open(password, bound(SECRET_FIELDS.paymentInitiatorPassword))).toBe("Op-Secret-1");
    await expect(current.open(password, bound(SECRET_FIELDS.initiatorPassword))).rejects.toThrow();
    expect(
      await new AesGcmSecretBox(NEW_KEY).open(password, bound(SECRET_FIELDS.paymentInitiatorPassword)),
    ).toBe("Op-Secret-1");
    expect((await rotate.execute()).resealed).toBe(0);
  });
});
