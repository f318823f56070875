import { describe, expect, it } from "vitest";
import { InMemoryUnitOfWork } from "../../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { ManualClock } from "../../../src/adapters/in-memory/manual-clock.ts";
import { SequentialIdGenerator } from "../../../src/adapters/in-memory/sequential-id-generator.ts";
import { CreateBusiness } from "../../../src/application/accounts/create-business.ts";
import { ListBusinesses } from "../../../src/application/accounts/list-businesses.ts";
import { userActor } from "../../../src/application/shared/actor.ts";

const setup = () => {
  const uow = new InMemoryUnitOfWork();
  const clock = new ManualClock(new Date("2026-05-01T06:00:00Z"));
  const deps = { uow, clock, ids: new SequentialIdGenerator(), maxBusinessesPerUser: 3 };
  return { create: new CreateBusiness(deps), list: new ListBusinesses(deps), clock };
};

describe("CreateBusiness and ListBusinesses", () => {
  it("opens a business for its owner, with the clock's time, and lists it newest first", async () => {
    const { create, list, clock } = setup();
    const first = await create.execute({ ownerId: "owner-1", name: "Mama Mboga" });
    clock.advance(1000);
    const second = await create.execute({ ownerId: "owner-1", name: "Mama Mboga Branch 2" });
    await create.execute({ ownerId: "owner-2", name: "Someone Else's" });
    expect(first.ok && first.value.createdAt.toISOString()).toBe("2026-05-01T06:00:00.000Z");
    const listed = await list.execute(userActor("owner-1"));
    expect(listed.map((m) => [m.business.name, m.role])).toEqual([
      ["Mama Mboga Branch 2", "owner"],
      ["Mama Mboga", "owner"],
    ]);
    expect(second.ok && listed[0]?.business.id).toBe(second.ok && second.value.id);
  });

  it("opens at most maxBusinessesPerUser businesses per owner, and refuses the next without storing it", async () => {
    const { create, list } = setup();
    for (const name of ["One", "Two", "Three"]) {
      expect((await create.execute({ ownerId: "owner-1", name })).ok).toBe(true);
    }
    const fourth = await create.execute({ ownerId: "owner-1", name: "Four" });
    expect(fourth).toEqual({ ok: false, error: { type: "business_limit_reached", max: 3 } });
    expect((await list.execute(userActor("owner-1"))).map((m) => m.business.name)).toEqual([
      "Three",
      "Two",
      "One",
    ]);
    // Another owner has a limit of their own.
    expect((await create.execute({ ownerId: "owner-2", name: "Theirs" })).ok).toBe(true);
  });
});
