import { expect, it } from "vitest";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import { PaymentConfig } from "../../src/domain/payment-config.ts";
import { sealedSecret } from "../../src/domain/sealed-secret.ts";
import { anAccountName, anId, aPaymentConfig, aShortcode, T0, unwrap } from "../support/builders.ts";
import { describeContract, seedOwner } from "./harness.ts";

describeContract("PaymentConfigRepository", ({ uow }) => {
  it("stores a config with its sealed secrets and own Daraja app, and reads it back whole", async () => {
    const { business } = await seedOwner(uow());
    const config = unwrap(
      PaymentConfig.create({
        id: anId(),
        businessId: business.id,
        method: "till",
        shortcode: aShortcode("5123456"),
        storeNumber: aShortcode("600200"),
        accountReference: null,
        accountName: anAccountName("Kiosk"),
        passkey: sealedSecret("k1.sealed-passkey"),
        ownApp: { consumerKey: "ck-123", consumerSecret: sealedSecret("k1.sealed-secret") },
        createdAt: T0,
      }),
    );
    await uow().run((r) => r.paymentConfigs.add(config));
    const found = await uow().run((r) => r.paymentConfigs.findById(config.id));
    expect(found?.snapshot()).toEqual(config.snapshot());
    expect((await uow().run((r) => r.paymentConfigs.findActiveByBusiness(business.id)))?.id).toBe(config.id);
  });

  it("keeps at most one active config per business; the old one stays, inactive", async () => {
    const { business } = await seedOwner(uow());
    const old = aPaymentConfig(business.id, { shortcode: "600100" });
    await uow().run((r) => r.paymentConfigs.add(old));
    const replacement = aPaymentConfig(business.id, { shortcode: "600111" });
    await expect(uow().run((r) => r.paymentConfigs.add(replacement))).rejects.toBeInstanceOf(UniqueViolation);

    await uow().run(async (r) => {
      old.deactivate();
      await r.paymentConfigs.update(old);
      await r.paymentConfigs.add(replacement);
    });
    expect((await uow().run((r) => r.paymentConfigs.findActiveByBusiness(business.id)))?.id).toBe(
      replacement.id,
    );
    expect((await uow().run((r) => r.paymentConfigs.findById(old.id)))?.active).toBe(false);
  });

  it("saves verification", async () => {
    const { business } = await seedOwner(uow());
    const config = aPaymentConfig(business.id);
    await uow().run((r) => r.paymentConfigs.add(config));
    const verified = PaymentConfig.restore({ ...config.snapshot(), verified: true });
    await uow().run((r) => r.paymentConfigs.update(verified));
    expect((await uow().run((r) => r.paymentConfigs.findById(config.id)))?.verified).toBe(true);
  });

  it("marks a config verified without touching whether it is active", async () => {
    const { business } = await seedOwner(uow());
    const config = aPaymentConfig(business.id);
    await uow().run((r) => r.paymentConfigs.add(config));
    await uow().run(async (r) => {
      config.deactivate();
      await r.paymentConfigs.update(config);
    });
    await uow().run((r) => r.paymentConfigs.markVerified(config.id));
    const saved = await uow().run((r) => r.paymentConfigs.findById(config.id));
    expect([saved?.verified, saved?.active]).toEqual([true, false]);
  });

  it("tells which businesses have an active config", async () => {
    const configured = await seedOwner(uow());
    const bare = await seedOwner(uow());
    const retired = await seedOwner(uow());
    await uow().run((r) => r.paymentConfigs.add(aPaymentConfig(configured.business.id)));
    const gone = aPaymentConfig(retired.business.id);
    gone.deactivate();
    await uow().run((r) => r.paymentConfigs.add(gone));
    const ids = [configured.business.id, bare.business.id, retired.business.id];
    expect(await uow().run((r) => r.paymentConfigs.businessesWithActiveConfig(ids))).toEqual(
      new Set([configured.business.id]),
    );
    expect(await uow().run((r) => r.paymentConfigs.businessesWithActiveConfig([]))).toEqual(new Set());
  });
});
