import { describe, expect, it } from "vitest";
import type { Repositories, UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import { PORTS } from "../../src/main/tokens.ts";
import { sample } from "../daraja/daraja-test-kit.ts";
import { jsonRequest, testApp } from "../support/test-app.ts";

/** A database that never answers. */
class StalledUnitOfWork implements UnitOfWork {
  run<T>(_work: (r: Repositories) => Promise<T>): Promise<T> {
    return new Promise<T>(() => undefined);
  }
  read<T>(_work: (r: Repositories) => Promise<T>): Promise<T> {
    return new Promise<T>(() => undefined);
  }
  autocommit<T>(_work: (r: Repositories) => Promise<T>): Promise<T> {
    return new Promise<T>(() => undefined);
  }
}

describe("the C2B validation receiver", () => {
  it("answers Daraja even when the database does not, accepting rather than refusing a customer's money", async () => {
    const { app } = testApp({
      override: (c) => c.register(PORTS.unitOfWork, { useValue: new StalledUnitOfWork() }),
    });
    const answer = await app.request(
      `/hooks/c2b/validation/${"ab".repeat(32)}`,
      jsonRequest("POST", {
        ...(sample("c2b_confirmation_v1_sandbox_2019") as object),
        OrgAccountBalance: "",
      }),
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ResultCode: "0", ResultDesc: "Accepted" });
  });
});
