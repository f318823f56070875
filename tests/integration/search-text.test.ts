import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { bearer, signUpThroughApi, type TestApp, testApp } from "../support/test-app.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * Every list with a free-text `?q=` refuses a control character (a NUL above all, which PostgreSQL cannot hold
 * even as a parameter) with a 400 problem naming `q`, before any query runs: never a 500.
 */
describe("free-text searches refuse control characters", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let payme: TestApp;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    payme = testApp({ database });
  });
  afterAll(() => drop());

  it.each(["sales", "sales/export.csv", "products", "c2b-payments"])(
    "GET …/%s?q= answers 400 validation_failed for NUL and other control characters",
    async (list) => {
      const owner = await signUpThroughApi(payme.app);
      const path = `/api/businesses/${owner.businessId}/${list}`;
      for (const q of ["%00", "a%00b", "a%01b", "a%1Bb", "a%7Fb", "a%C2%85b", "a%0Ab"]) {
        const response = await payme.app.request(`${path}?q=${q}`, bearer(owner.token));
        expect(response.status, q).toBe(400);
        expect(response.headers.get("content-type"), q).toContain("application/problem+json");
        const problem = (await response.json()) as { code: string; errors: { path: string }[] };
        expect(problem.code, q).toBe("validation_failed");
        expect(
          problem.errors.map((e) => e.path),
          q,
        ).toEqual(["q"]);
      }
      const plain = await payme.app.request(
        `${path}?q=${encodeURIComponent("Mama Mboga's")}`,
        bearer(owner.token),
      );
      expect(plain.status).toBe(200);
    },
  );
});
