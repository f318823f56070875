import { describe, expect, it } from "vitest";
import { InMemoryTables } from "../../src/adapters/in-memory/in-memory-tables.ts";
import { InMemoryUnitOfWork } from "../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import type { TokenClaims } from "../../src/application/ports/token-issuer.ts";

const claims = (tokenId: string): TokenClaims => ({
  userId: "user-1",
  tokenId,
  issuedAt: new Date(0),
  expiresAt: new Date(60_000),
});

describe("the in-memory unit of work's rollback", () => {
  it("takes back the updates, deletes and inserts of a failed transaction, and keeps a committed one's", async () => {
    const tables = new InMemoryTables();
    const uow = new InMemoryUnitOfWork(tables);
    const { revokedTokens } = tables;
    const a = claims("a");
    const b = claims("b");
    await uow.run(async () => {
      revokedTokens.set("a", a);
      revokedTokens.set("b", b);
    });

    await expect(
      uow.run(async () => {
        revokedTokens.set("a", claims("a2"));
        revokedTokens.delete("b");
        revokedTokens.set("c", claims("c"));
        revokedTokens.set("c", claims("c2"));
        revokedTokens.set("b", claims("b2"));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");

    expect(new Map(revokedTokens)).toEqual(
      new Map([
        ["a", a],
        ["b", b],
      ]),
    );
    expect(revokedTokens.get("a")).toBe(a);
    expect(revokedTokens.get("b")).toBe(b);

    await uow.run(async () => {
      revokedTokens.delete("a");
    });
    await expect(
      uow.run(async () => {
        revokedTokens.clear();
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect([...revokedTokens.keys()]).toEqual(["b"]);
  });

  it("records nothing outside a transaction: a later rollback leaves earlier direct writes alone", async () => {
    const tables = new InMemoryTables();
    const uow = new InMemoryUnitOfWork(tables);
    tables.revokedTokens.set("seeded", claims("seeded"));
    await expect(
      uow.run(async () => {
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect([...tables.revokedTokens.keys()]).toEqual(["seeded"]);
  });
});
