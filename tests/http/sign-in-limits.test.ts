import { describe, expect, it } from "vitest";
import { jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

type Json = Record<string, unknown>;

/** The bindings @hono/node-server gives a request: the socket's peer address. */
const fromSocket = (remoteAddress: string) => ({
  incoming: { socket: { remoteAddress, remotePort: 40_000 } },
});

function signInFrom(app: ReturnType<typeof testApp>["app"]) {
  return (
    body: { email: string; password: string },
    via: { forwardedFor?: string; socket?: string } = {},
  ): Promise<Response> =>
    Promise.resolve(
      app.request(
        "/auth/sign-in",
        {
          ...jsonRequest("POST", body),
          headers: {
            "Content-Type": "application/json",
            ...(via.forwardedFor === undefined ? {} : { "X-Forwarded-For": via.forwardedFor }),
          },
        },
        via.socket === undefined ? undefined : fromSocket(via.socket),
      ),
    );
}

describe("sign-in limits per account and address", () => {
  const env = {
    TRUST_PROXY: "true",
    AUTH_RATE_LIMIT_PER_ADDRESS: "1000",
    AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "3",
    AUTH_RATE_LIMIT_PER_ACCOUNT: "30",
  };

  it("stops an address guessing at an account with 429 and Retry-After, without locking the owner out elsewhere", async () => {
    const { app } = testApp({ env });
    const person = await signUpThroughApi(app);
    const signIn = signInFrom(app);
    const wrong = { email: person.email, password: "not-the-password" };
    const right = { email: person.email, password: person.password };
    const attacker = { forwardedFor: "203.0.113.7" };
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await signIn(wrong, attacker)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await signIn(right, attacker);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as Json).code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The owner, from their own address, is not locked out by the attacker's failures.
    expect((await signIn(right, { forwardedFor: "198.51.100.20" })).status).toBe(200);
  });

  it("starts the count from an address again after the right password", async () => {
    const { app } = testApp({ env });
    const person = await signUpThroughApi(app);
    const signIn = signInFrom(app);
    const here = { forwardedFor: "198.51.100.21" };
    const wrong = { email: person.email, password: "not-the-password" };
    expect([(await signIn(wrong, here)).status, (await signIn(wrong, here)).status]).toEqual([401, 401]);
    expect((await signIn({ email: person.email, password: person.password }, here)).status).toBe(200);
    expect([(await signIn(wrong, here)).status, (await signIn(wrong, here)).status]).toEqual([401, 401]);
  });

  it("limits an account's failures from all addresses together at a much higher bound", async () => {
    const { app } = testApp({
      env: { ...env, AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "2", AUTH_RATE_LIMIT_PER_ACCOUNT: "20" },
    });
    const person = await signUpThroughApi(app);
    const signIn = signInFrom(app);
    const wrong = { email: person.email, password: "not-the-password" };
    for (let address = 1; address <= 10; address += 1) {
      const via = { forwardedFor: `203.0.113.${address}` };
      expect([(await signIn(wrong, via)).status, (await signIn(wrong, via)).status]).toEqual([401, 401]);
    }
    expect((await signIn(wrong, { forwardedFor: "203.0.113.99" })).status).toBe(429);
  });

  it("counts concurrent wrong passwords before hashing: no more reach the hasher than the limit", async () => {
    const { app } = testApp({
      env: { ...env, AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "10", AUTH_RATE_LIMIT_PER_ACCOUNT: "100" },
    });
    const person = await signUpThroughApi(app);
    const signIn = signInFrom(app);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        signIn({ email: person.email, password: "not-the-password" }, { forwardedFor: "203.0.113.40" }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30);
  });

  it("limits every attempt per client address", async () => {
    const { app } = testApp({ env: { ...env, AUTH_RATE_LIMIT_PER_ADDRESS: "2" } });
    const signIn = signInFrom(app);
    const attempt = (email: string, forwardedFor: string) =>
      signIn({ email, password: "whatever-password" }, { forwardedFor });
    expect((await attempt("a@example.com", "10.0.0.1")).status).toBe(401);
    expect((await attempt("b@example.com", "10.0.0.1")).status).toBe(401);
    const third = await attempt("c@example.com", "10.0.0.1");
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).not.toBeNull();
    expect((await attempt("d@example.com", "10.0.0.2")).status).toBe(401);
  });

  it("counts an IPv6 client by its /64, so it cannot step round the limit inside its own network", async () => {
    const { app } = testApp({ env: { ...env, AUTH_RATE_LIMIT_PER_ADDRESS: "2" } });
    const signIn = signInFrom(app);
    const attempt = (forwardedFor: string) =>
      signIn({ email: "ghost@example.com", password: "whatever-password" }, { forwardedFor });
    expect((await attempt("2001:db8:5:6::1")).status).toBe(401);
    expect((await attempt("2001:db8:5:6::2")).status).toBe(401);
    expect((await attempt("2001:db8:5:6:ffff::3")).status).toBe(429);
    expect((await attempt("2001:db8:5:7::1")).status).toBe(401);
  });
});

describe("the client's address behind proxies (TRUST_PROXY)", () => {
  const limits = { AUTH_RATE_LIMIT_PER_ADDRESS: "2", AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "100" };
  const spray = async (
    app: ReturnType<typeof testApp>["app"],
    forwardedFor: (i: number) => string,
    socket?: string,
  ) => {
    const signIn = signInFrom(app);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await signIn(
        { email: `spray-${i}@example.com`, password: "whatever-password" },
        { forwardedFor: forwardedFor(i), ...(socket === undefined ? {} : { socket }) },
      );
      statuses.push(response.status);
    }
    return statuses;
  };

  it("with true (one hop), takes the rightmost X-Forwarded-For value: a client's own leftmost values change nothing", async () => {
    const { app } = testApp({ env: { ...limits, TRUST_PROXY: "true" } });
    // The proxy appends the real client (203.0.113.50); the client wrote everything before it.
    expect(await spray(app, (i) => `10.9.9.${i}, 203.0.113.50`, "10.0.0.2")).toEqual([
      401, 401, 429, 429, 429,
    ]);
  });

  it("with a hop count, takes the address that many hops from the right", async () => {
    const { app } = testApp({ env: { ...limits, TRUST_PROXY: "2" } });
    // client-written, the real client, the first proxy; the second proxy is the socket's peer.
    expect(await spray(app, (i) => `10.9.9.${i}, 203.0.113.51, 10.0.0.3`, "10.0.0.2")).toEqual([
      401, 401, 429, 429, 429,
    ]);
  });

  it("with a list of proxies, takes the rightmost address that is not one of them", async () => {
    const { app } = testApp({ env: { ...limits, TRUST_PROXY: "10.0.0.0/8, 192.0.2.1" } });
    expect(await spray(app, (i) => `10.9.9.${i}, 203.0.113.52, 10.0.0.3, 192.0.2.1`, "10.0.0.2")).toEqual([
      401, 401, 429, 429, 429,
    ]);
  });

  it("with a list, does not believe X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    const { app } = testApp({ env: { ...limits, TRUST_PROXY: "10.0.0.0/8" } });
    // The peer 198.51.100.9 is no proxy of ours: what it says in the header is ignored, and it is the client.
    expect(await spray(app, (i) => `203.0.113.${i}`, "198.51.100.9")).toEqual([401, 401, 429, 429, 429]);
  });

  it("without TRUST_PROXY, ignores X-Forwarded-For altogether", async () => {
    const { app } = testApp({ env: limits });
    expect(await spray(app, (i) => `203.0.113.${i}`, "198.51.100.10")).toEqual([401, 401, 429, 429, 429]);
  });
});

describe("the password-hashing queue (AUTH_HASH_QUEUE_MAX)", () => {
  it("answers 503 busy with Retry-After past its bound, and gives the attempts' counts back", async () => {
    const { app } = testApp({
      env: {
        AUTH_HASH_QUEUE_MAX: "0",
        TRUST_PROXY: "true",
        AUTH_RATE_LIMIT_PER_ADDRESS: "1000",
        AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "12",
      },
    });
    const person = await signUpThroughApi(app);
    const signIn = signInFrom(app);
    const via = { forwardedFor: "203.0.113.60" };
    const wrong = { email: person.email, password: "not-the-password" };
    const answers = await Promise.all(Array.from({ length: 12 }, () => signIn(wrong, via)));
    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(answers.every((answer) => answer.status === 503 || answer.status === 401)).toBe(true);
    const problem = (await busy[0]?.json()) as Json;
    expect(problem).toMatchObject({ status: 503, code: "busy" });
    expect(Number(busy[0]?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Only the attempts that were judged count against the account: the busy ones were given back.
    const judged = answers.length - busy.length;
    const more = [];
    for (let i = judged; i < 12; i += 1) {
      more.push((await signIn(wrong, via)).status);
    }
    expect(more.every((status) => status === 401)).toBe(true);
    expect((await signIn(wrong, via)).status).toBe(429);
  });
});
