import { Hono } from "hono";
import { requestId } from "hono/request-id";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { HttpEnv } from "../../src/adapters/http/http-env.ts";
import { IDEMPOTENCY_KEY_TTL_MS, idempotent } from "../../src/adapters/http/idempotency.ts";
import { problemResponse } from "../../src/adapters/http/problem.ts";
import { readBody } from "../../src/adapters/http/request-body.ts";
import { InMemoryIdempotencyStore } from "../../src/adapters/in-memory/in-memory-idempotency-store.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { IdempotencyStore } from "../../src/application/ports/idempotency-store.ts";
import { userActor } from "../../src/application/shared/actor.ts";
import type { User } from "../../src/domain/user.ts";
import { aUser } from "../support/builders.ts";
import { deferred } from "../support/deferred.ts";

const payBody = v.object({
  phone: v.string(),
  amount: v.pipe(v.number(), v.integer(), v.minValue(1)),
  outcome: v.optional(v.picklist(["accepted", "busy", "gateway_rejected", "crash", "held"])),
});

/**
 * A tiny app with the middleware on two test routes whose handler counts its runs, behind a stand-in for
 * the bearer-token guard (the user named by X-Test-User).
 */
function testRoutes(options: { store?: IdempotencyStore } = {}) {
  const store = options.store ?? new InMemoryIdempotencyStore();
  const clock = new ManualClock();
  const users = new Map<string, User>();
  const held = { entered: deferred(), release: deferred() };
  const runs = { count: 0 };

  const app = new Hono<HttpEnv>();
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(async (c, next) => {
    const user = users.get(c.req.header("X-Test-User") ?? "");
    if (user === undefined) {
      return problemResponse(c, { status: 401, code: "unauthorized", title: "Unauthorized", detail: "" });
    }
    c.set("user", user);
    c.set("actor", userActor(user.id));
    await next();
  });
  for (const path of ["/pay", "/other"]) {
    app.post(path, idempotent({ store, clock, route: `POST ${path}` }), async (c) => {
      runs.count += 1;
      const body = await readBody(c, payBody);
      if (!body.ok) {
        return body.error;
      }
      const run = runs.count;
      switch (body.value.outcome) {
        case "busy":
          return problemResponse(c, {
            status: 409,
            code: "subscriber_busy",
            title: "Subscriber busy",
            detail: `run ${run}`,
          });
        case "gateway_rejected":
          return problemResponse(c, {
            status: 502,
            code: "gateway_rejected",
            title: "Gateway rejected",
            detail: `run ${run}`,
          });
        case "crash":
          throw new Error(`crashed on run ${run}`);
        case "held":
          held.entered.resolve();
          await held.release.promise;
          break;
        default:
          break;
      }
      return c.json({ payment: { run, phone: body.value.phone, amount: body.value.amount } }, 202);
    });
  }
  app.onError((_error, c) =>
    problemResponse(c, { status: 500, code: "internal_error", title: "Internal error", detail: "logged" }),
  );

  const signIn = (): User => {
    const user = aUser();
    users.set(user.id, user);
    return user;
  };
  const defaultUser = signIn();
  const post = (
    body: unknown,
    options: { key?: string; user?: User; path?: string; contentType?: string; requestId?: string } = {},
  ): Promise<Response> =>
    Promise.resolve(
      app.request(options.path ?? "/pay", {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: {
          "Content-Type": options.contentType ?? "application/json",
          "X-Test-User": (options.user ?? defaultUser).id,
          ...(options.key === undefined ? {} : { "Idempotency-Key": options.key }),
          ...(options.requestId === undefined ? {} : { "X-Request-Id": options.requestId }),
        },
      }),
    );
  return { post, runs, clock, held, signIn };
}

const pay = { phone: "0712345678", amount: 100 };

async function snapshot(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.text(),
  };
}

describe("Idempotency-Key", () => {
  it("runs a request without the header every time", async () => {
    const { post, runs } = testRoutes();
    expect((await post(pay)).status).toBe(202);
    expect((await post(pay)).status).toBe(202);
    expect(runs.count).toBe(2);
  });

  it("the same key and body run once; the repeat replays status, content type and body, marked replayed", async () => {
    const { post, runs } = testRoutes();
    const first = await post(pay, { key: "k-1", requestId: "first-request" });
    const second = await post(pay, { key: "k-1", requestId: "second-request" });
    expect(runs.count).toBe(1);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    // The replay is a response to this request: it carries this request's id.
    expect(second.headers.get("x-request-id")).toBe("second-request");
    const original = await snapshot(first);
    expect(original).toEqual({
      status: 202,
      contentType: "application/json",
      body: JSON.stringify({ payment: { run: 1, phone: "0712345678", amount: 100 } }),
    });
    expect(await snapshot(second)).toEqual(original);
  });

  it("compares bodies as parsed JSON: key order and whitespace do not matter", async () => {
    const { post, runs } = testRoutes();
    await post('{"phone":"0712345678","amount":100}', { key: "k-order" });
    const reordered = await post('{\n  "amount": 100.0,\n  "phone": "0712345678"\n}', { key: "k-order" });
    expect(runs.count).toBe(1);
    expect(reordered.status).toBe(202);
    expect(reordered.headers.get("idempotent-replayed")).toBe("true");
  });

  it("the same key with another body is 422 idempotency_conflict, and runs nothing", async () => {
    const { post, runs } = testRoutes();
    await post(pay, { key: "k-conflict" });
    const other = await post({ ...pay, amount: 200 }, { key: "k-conflict" });
    expect(runs.count).toBe(1);
    expect(other.status).toBe(422);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
    expect(await other.json()).toMatchObject({ status: 422, code: "idempotency_conflict" });
  });

  it("a duplicate while the first still runs is 409 idempotency_in_progress; once done, it replays", async () => {
    const { post, runs, held } = testRoutes();
    const body = { ...pay, outcome: "held" };
    const first = post(body, { key: "k-held" });
    await held.entered.promise;

    const duplicate = await post(body, { key: "k-held" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get("content-type")).toBe("application/problem+json");
    expect(await duplicate.json()).toMatchObject({ status: 409, code: "idempotency_in_progress" });

    held.release.resolve();
    expect((await first).status).toBe(202);
    const later = await post(body, { key: "k-held" });
    expect(later.status).toBe(202);
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(runs.count).toBe(1);
  });

  it("failures are saved and replayed too: a 409 subscriber_busy and a 502 are not run again", async () => {
    const { post, runs } = testRoutes();
    const busy = await snapshot(await post({ ...pay, outcome: "busy" }, { key: "k-busy" }));
    expect(busy.status).toBe(409);
    expect(await snapshot(await post({ ...pay, outcome: "busy" }, { key: "k-busy" }))).toEqual(busy);

    const rejected = await snapshot(await post({ ...pay, outcome: "gateway_rejected" }, { key: "k-502" }));
    expect(rejected.status).toBe(502);
    expect(await snapshot(await post({ ...pay, outcome: "gateway_rejected" }, { key: "k-502" }))).toEqual(
      rejected,
    );
    expect(runs.count).toBe(2);
  });

  it("an unexpected error is saved as its 500 and replayed: the route may already have called out", async () => {
    const { post, runs } = testRoutes();
    const crashed = await snapshot(await post({ ...pay, outcome: "crash" }, { key: "k-crash" }));
    expect(crashed.status).toBe(500);
    const again = await post({ ...pay, outcome: "crash" }, { key: "k-crash" });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await snapshot(again)).toEqual(crashed);
    expect(runs.count).toBe(1);
  });

  it("a body that fails validation saves nothing: the key can be used again with a fixed body", async () => {
    const { post, runs } = testRoutes();
    const invalid = await post({ ...pay, amount: 10.5 }, { key: "k-fix" });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: "validation_failed" });

    const fixed = await post(pay, { key: "k-fix" });
    expect(fixed.status).toBe(202);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
    expect(runs.count).toBe(2);
    expect((await post(pay, { key: "k-fix" })).headers.get("idempotent-replayed")).toBe("true");
  });

  it("a malformed request saves nothing either: not JSON, or JSON with the wrong content type", async () => {
    const { post, runs } = testRoutes();
    const notJson = await post("phone=0712345678&amount=100", { key: "k-malformed" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: "malformed_request" });
    const wrongType = await post(pay, { key: "k-malformed", contentType: "text/plain" });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ code: "malformed_request" });

    expect((await post(pay, { key: "k-malformed" })).status).toBe(202);
    expect(runs.count).toBe(3);
  });

  it("keys are per user: two users with the same key do not collide", async () => {
    const { post, runs, signIn } = testRoutes();
    const other = signIn();
    const mine = await post(pay, { key: "shared-key" });
    const theirs = await post(pay, { key: "shared-key", user: other });
    expect(runs.count).toBe(2);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(await theirs.json()).not.toEqual(await mine.json());
  });

  it("keys are per route: the same key on another route runs", async () => {
    const { post, runs } = testRoutes();
    await post(pay, { key: "route-key" });
    const elsewhere = await post({ ...pay, amount: 300 }, { key: "route-key", path: "/other" });
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.headers.get("idempotent-replayed")).toBeNull();
    expect(runs.count).toBe(2);
  });

  it("a key is kept for 24 hours; after that it is new again", async () => {
    const { post, runs, clock } = testRoutes();
    await post(pay, { key: "k-day" });
    clock.advance(IDEMPOTENCY_KEY_TTL_MS - 1);
    expect((await post(pay, { key: "k-day" })).headers.get("idempotent-replayed")).toBe("true");
    clock.advance(1);
    const renewed = await post({ ...pay, amount: 500 }, { key: "k-day" });
    expect(renewed.status).toBe(202);
    expect(renewed.headers.get("idempotent-replayed")).toBeNull();
    expect(runs.count).toBe(2);
  });

  it("refuses a key that is not 1 to 255 printable ASCII characters with 400 validation_failed", async () => {
    const { post, runs } = testRoutes();
    for (const key of ["", "x".repeat(256), "tab\there", "caf\u00e9"]) {
      const response = await post(pay, { key });
      expect(response.status, JSON.stringify(key)).toBe(400);
      expect(await response.json()).toMatchObject({
        code: "validation_failed",
        errors: [{ path: "Idempotency-Key", message: expect.any(String) }],
      });
    }
    expect(runs.count).toBe(0);
    expect((await post(pay, { key: `${"x".repeat(254)}~` })).status).toBe(202);
    expect((await post(pay, { key: "with spaces and !#$%&'*+-.^_`|~" })).status).toBe(202);
  });

  it("when saving fails after the route ran, the client still gets the route's answer, and it never runs twice", async () => {
    class FailingToSave extends InMemoryIdempotencyStore {
      override async complete(): Promise<void> {
        throw new Error("database went away");
      }
    }
    const { post, runs } = testRoutes({ store: new FailingToSave() });
    const first = await post(pay, { key: "k-unsaved" });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ payment: { run: 1 } });
    expect((await post(pay, { key: "k-unsaved" })).status).toBe(409);
    expect(runs.count).toBe(1);
  });
});
