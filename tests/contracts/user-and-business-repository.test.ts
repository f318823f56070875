import { expect, it } from "vitest";
import { Email } from "../../src/domain/email.ts";
import { aBusiness, anId, aUser, unwrap } from "../support/builders.ts";
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

  it("finds the user a token stands for, unless it was revoked or issued before their tokens were cut off", async () => {
    const user = aUser();
    await uow().run((r) => r.users.add(user));
    const claims = (tokenId: string, issuedAt: string) => ({
      userId: user.id,
      tokenId,
      issuedAt: new Date(issuedAt),
      expiresAt: new Date("2099-01-01T00:00:00Z"),
    });
    const first = claims(anId(), "2026-03-01T10:00:00Z");
    const second = claims(anId(), "2026-03-01T10:00:00Z");
    expect((await uow().read((r) => r.users.findByToken(first)))?.user.id).toBe(user.id);
    await uow().run((r) => r.users.revokeToken(first));
    await uow().run((r) => r.users.revokeToken(first));
    expect(await uow().read((r) => r.users.findByToken(first))).toBeNull();
    expect((await uow().read((r) => r.users.findByToken(second)))?.user.id).toBe(user.id);

    const cutOff = new Date("2026-03-01T10:00:01Z");
    await uow().run((r) => r.users.changePassword(user.withNewPassword("$argon2id$new", cutOff)));
    const stored = await uow().read((r) => r.users.findById(user.id));
    expect(stored?.passwordHash).toBe("$argon2id$new");
    expect(stored?.tokensValidAfter).toEqual(cutOff);
    expect(await uow().read((r) => r.users.findByToken(second))).toBeNull();
    const atCutOff = claims(anId(), "2026-03-01T10:00:01Z");
    expect((await uow().read((r) => r.users.findByToken(atCutOff)))?.user.tokensValidAfter).toEqual(cutOff);
    // Ids that no schema checked find nothing rather than failing.
    expect(await uow().read((r) => r.users.findByToken({ ...atCutOff, tokenId: "' OR 1=1 --" }))).toBeNull();
    expect(await uow().read((r) => r.users.findByToken({ ...atCutOff, userId: "not-an-id" }))).toBeNull();
  });

  it("purges revoked tokens once they have expired", async () => {
    const user = aUser();
    await uow().run((r) => r.users.add(user));
    const expiring = {
      userId: user.id,
      tokenId: anId(),
      issuedAt: new Date("2026-03-01T10:00:00Z"),
      expiresAt: new Date("2026-03-02T10:00:00Z"),
    };
    await uow().run((r) => r.users.revokeToken(expiring));
    expect(await uow().run((r) => r.users.purgeRevokedTokens(new Date("2026-03-02T09:59:59Z")))).toBe(0);
    expect(
      await uow().run((r) => r.users.purgeRevokedTokens(new Date("2026-03-02T10:00:00Z"))),
    ).toBeGreaterThan(0);
    expect(await uow().read((r) => r.users.findByToken(expiring))).not.toBeNull();
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
  it("finds a business by id (locked when asked), and makes its creator its first owner", async () => {
    const owner = aUser();
    const business = aBusiness(owner.id, { name: "Kinyozi Bora" });
    await uow().run(async (r) => {
      await r.users.add(owner);
      await r.businesses.add(business);
    });
    expect((await uow().run((r) => r.businesses.findById(business.id)))?.snapshot()).toEqual(
      business.snapshot(),
    );
    expect(await uow().run((r) => r.businesses.findById(business.id, { lock: true }))).not.toBeNull();
    expect(await uow().run((r) => r.businesses.findById("' OR 1=1 --"))).toBeNull();
    const member = await uow().run((r) => r.members.find(business.id, owner.id));
    expect(member?.role).toBe("owner");
  });

  it("lists the businesses a user belongs to newest first, with their role, and no one else's", async () => {
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
    const listed = await uow().run((r) => r.members.listForUser(owner.id));
    expect(listed.map((m) => [m.business.name, m.role])).toEqual([
      ["Second", "owner"],
      ["First", "owner"],
    ]);
    expect(await uow().run((r) => r.businesses.countOwnedBy(owner.id))).toBe(2);
  });
});
