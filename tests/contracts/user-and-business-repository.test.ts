import { expect, it } from "vitest";
import { Email } from "../../src/domain/email.ts";
import { aBusiness, aUser, unwrap } from "../support/builders.ts";
import { describeContract } from "./harness.ts";

describeContract("UserRepository", ({ uow }) => {
  it("stores a user and finds them by id and by email, in any case", async () => {
    const user = aUser({ email: "Njeri.Kamau@Example.com" });
    expect(await uow().run((r) => r.users.add(user))).toEqual({ ok: true, value: undefined });
    const byId = await uow().run((r) => r.users.findById(user.id));
    expect(byId?.snapshot()).toEqual(user.snapshot());
    const byEmail = await uow().run((r) =>
      r.users.findByEmail(unwrap(Email.parse("NJERI.KAMAU@example.COM"))),
    );
    expect(byEmail?.id).toBe(user.id);
  });

  it("answers email_taken for a second user with the same email, and the transaction goes on", async () => {
    const first = aUser({ email: "duplicate-check@example.com" });
    await uow().run((r) => r.users.add(first));
    const second = aUser({ email: "Duplicate-Check@Example.com" });
    const business = aBusiness(first.id);
    const outcome = await uow().run(async (r) => {
      const added = await r.users.add(second);
      await r.businesses.add(business);
      return added;
    });
    expect(outcome).toEqual({ ok: false, error: { type: "email_taken" } });
    expect(await uow().run((r) => r.users.findById(second.id))).toBeNull();
    expect(await uow().run((r) => r.businesses.findById(business.id))).not.toBeNull();
  });

  it("finds nothing for unknown ids and emails", async () => {
    expect(await uow().run((r) => r.users.findById("00000000-0000-7000-8000-000000000000"))).toBeNull();
    // A token's `sub` reaches findById unchecked: a string that is no id is unknown too, not an error.
    expect(await uow().run((r) => r.users.findById("' OR 1=1 --"))).toBeNull();
    expect(await uow().run((r) => r.users.findByEmail(unwrap(Email.parse("nobody@example.com"))))).toBeNull();
  });

  it("rolls back everything a failed transaction wrote", async () => {
    const user = aUser();
    await expect(
      uow().run(async (r) => {
        await r.users.add(user);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await uow().run((r) => r.users.findById(user.id))).toBeNull();
  });
});

describeContract("BusinessRepository", ({ uow }) => {
  it("shows a business only to its owner", async () => {
    const owner = aUser();
    const stranger = aUser();
    const business = aBusiness(owner.id, { name: "Kinyozi Bora" });
    await uow().run(async (r) => {
      await r.users.add(owner);
      await r.users.add(stranger);
      await r.businesses.add(business);
    });
    expect((await uow().run((r) => r.businesses.findOwned(business.id, owner.id)))?.snapshot()).toEqual(
      business.snapshot(),
    );
    expect(await uow().run((r) => r.businesses.findOwned(business.id, stranger.id))).toBeNull();
    expect(
      await uow().run((r) => r.businesses.findOwned(business.id, owner.id, { lock: true })),
    ).not.toBeNull();
  });

  it("lists an owner's businesses newest first, and no one else's", async () => {
    const owner = aUser();
    const other = aUser();
    const first = aBusiness(owner.id, { name: "First" });
    const second = aBusiness(owner.id, { name: "Second" });
    const foreign = aBusiness(other.id, { name: "Foreign" });
    await uow().run(async (r) => {
      await r.users.add(owner);
      await r.users.add(other);
      await r.businesses.add(first);
      await r.businesses.add(second);
      await r.businesses.add(foreign);
    });
    const listed = await uow().run((r) => r.businesses.listByOwner(owner.id));
    expect(listed.map((b) => b.name)).toEqual(["Second", "First"]);
  });
});
