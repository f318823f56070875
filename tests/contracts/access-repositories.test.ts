import { expect, it } from "vitest";
import type { ApiKeyRecord } from "../../src/application/ports/api-key-repository.ts";
import type { Invitation } from "../../src/application/ports/invitation-repository.ts";
import { Email } from "../../src/domain/email.ts";
import { aBusiness, anId, aUser, unwrap } from "../support/builders.ts";
import { describeContract } from "./harness.ts";

const T = new Date("2026-12-04T10:00:00.000Z");
const later = (ms: number) => new Date(T.getTime() + ms);

describeContract("MemberRepository", ({ uow }) => {
  it("adds, lists (owners first), changes, counts owners and removes members", async () => {
    const owner = aUser({ name: "Owner" });
    const cashier = aUser({ name: "Cashier" });
    const business = aBusiness(owner.id);
    await uow().run(async (r) => {
      await r.users.add(owner);
      await r.users.add(cashier);
      await r.businesses.add(business);
    });
    expect(
      await uow().run((r) =>
        r.members.add({ businessId: business.id, userId: cashier.id, role: "cashier", addedAt: later(1000) }),
      ),
    ).toBe(true);
    // Adding again changes nothing.
    expect(
      await uow().run((r) =>
        r.members.add({ businessId: business.id, userId: cashier.id, role: "manager", addedAt: later(2000) }),
      ),
    ).toBe(false);
    const members = await uow().run((r) => r.members.listForBusiness(business.id));
    expect(members.map((m) => [m.name, m.role, m.email.value])).toEqual([
      ["Owner", "owner", owner.email.value],
      ["Cashier", "cashier", cashier.email.value],
    ]);
    expect(await uow().run((r) => r.members.countOwners(business.id))).toBe(1);
    await uow().run((r) => r.members.changeRole(business.id, cashier.id, "owner"));
    expect(await uow().run((r) => r.members.countOwners(business.id))).toBe(2);
    expect((await uow().run((r) => r.users.findByToken(tokenOf(cashier.id))))?.memberships).toEqual([
      { businessId: business.id, role: "owner" },
    ]);
    await uow().run((r) => r.members.remove(business.id, cashier.id));
    expect(await uow().run((r) => r.members.find(business.id, cashier.id))).toBeNull();
    expect((await uow().run((r) => r.users.findByToken(tokenOf(cashier.id))))?.memberships).toEqual([]);
    expect(await uow().run((r) => r.members.listForUser(cashier.id))).toEqual([]);
  });
});

/** A token's claims as findByToken reads them: any unrevoked token id. */
const tokenOf = (userId: string) => ({
  userId,
  tokenId: anId(),
  issuedAt: later(60_000),
  expiresAt: later(3_600_000),
});

describeContract("ApiKeyRepository", ({ uow }) => {
  it("finds unrevoked keys by their lookup prefix, lists them, records use at most once a minute, and revokes", async () => {
    const owner = aUser();
    const business = aBusiness(owner.id);
    const other = aBusiness(owner.id);
    await uow().run(async (r) => {
      await r.users.add(owner);
      await r.businesses.add(business);
      await r.businesses.add(other);
    });
    const key: ApiKeyRecord = {
      id: anId(),
      businessId: business.id,
      name: "Till app",
      prefix: "sk_test_AbCd",
      lookup: `sk_test_AbCdEfGh${anId().slice(0, 4)}`,
      secretHash: "a".repeat(64),
      scopes: ["sales:read", "sales:write"],
      createdBy: owner.id,
      createdAt: T,
      lastUsedAt: null,
    };
    await uow().run((r) => r.apiKeys.add(key));
    expect(await uow().run((r) => r.apiKeys.findByLookup(key.lookup))).toEqual([key]);
    expect(await uow().run((r) => r.apiKeys.findByLookup("sk_test_nothing"))).toEqual([]);
    expect((await uow().run((r) => r.apiKeys.listForBusiness(business.id))).map((k) => k.id)).toEqual([
      key.id,
    ]);

    await uow().run((r) => r.apiKeys.touch(key.id, later(1000)));
    await uow().run((r) => r.apiKeys.touch(key.id, later(30_000)));
    expect((await uow().run((r) => r.apiKeys.findByLookup(key.lookup)))[0]?.lastUsedAt).toEqual(later(1000));
    await uow().run((r) => r.apiKeys.touch(key.id, later(62_000)));
    expect((await uow().run((r) => r.apiKeys.findByLookup(key.lookup)))[0]?.lastUsedAt).toEqual(
      later(62_000),
    );

    expect(await uow().run((r) => r.apiKeys.revoke(other.id, key.id, later(70_000)))).toBe(false);
    expect(await uow().run((r) => r.apiKeys.revoke(business.id, key.id, later(70_000)))).toBe(true);
    expect(await uow().run((r) => r.apiKeys.revoke(business.id, key.id, later(80_000)))).toBe(false);
    expect(await uow().run((r) => r.apiKeys.findByLookup(key.lookup))).toEqual([]);
    expect(await uow().run((r) => r.apiKeys.listForBusiness(business.id))).toEqual([]);
  });
});

describeContract("InvitationRepository", ({ uow }) => {
  it("finds a pending invitation by its token hash, lists unexpired ones, accepts once and withdraws", async () => {
    const owner = aUser();
    const business = aBusiness(owner.id);
    await uow().run(async (r) => {
      await r.users.add(owner);
      await r.businesses.add(business);
    });
    const invitation = (email: string, expiresAt: Date): Invitation => ({
      id: anId(),
      businessId: business.id,
      email: unwrap(Email.parse(email)),
      role: "cashier",
      tokenHash: anId().replaceAll("-", ""),
      invitedBy: owner.id,
      createdAt: T,
      expiresAt,
    });
    const pending = invitation("new.cashier@example.com", later(7 * 24 * 3_600_000));
    const expired = invitation("late@example.com", later(1000));
    const withdrawn = invitation("withdrawn@example.com", later(7 * 24 * 3_600_000));
    await uow().run(async (r) => {
      await r.invitations.add(pending);
      await r.invitations.add(expired);
      await r.invitations.add(withdrawn);
    });
    expect(await uow().run((r) => r.invitations.findByTokenHash(pending.tokenHash))).toEqual(pending);
    expect(
      (await uow().run((r) => r.invitations.listPending(business.id, later(60_000)))).map((i) => i.id).sort(),
    ).toEqual([pending.id, withdrawn.id].sort());

    expect(await uow().run((r) => r.invitations.remove(business.id, withdrawn.id))).toBe(true);
    expect(await uow().run((r) => r.invitations.findByTokenHash(withdrawn.tokenHash))).toBeNull();

    expect(await uow().run((r) => r.invitations.markAccepted(pending.id, owner.id, later(2000)))).toBe(true);
    expect(await uow().run((r) => r.invitations.markAccepted(pending.id, owner.id, later(3000)))).toBe(false);
    expect(await uow().run((r) => r.invitations.findByTokenHash(pending.tokenHash))).toBeNull();
  });
});
