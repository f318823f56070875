import { randomBytes } from "node:crypto";
import { Agent, type Dispatcher, fetch } from "undici";
import { API_KEY_SCOPES } from "../../../src/domain/api-key-scope.ts";
import {
  type Account,
  BENCH_PASSWORD,
  call,
  createProduct,
  expectStatus,
  setUpTill,
  signUp,
} from "../api.ts";
import { forgedApiKeys, forgedTokens } from "./forged-tokens.ts";
import {
  type FuzzRequest,
  type FuzzTarget,
  fuzzRequests,
  oversizedCallbacks,
  type Route,
  refundRequests,
  routesOf,
} from "./fuzz-requests.ts";
import { inPool } from "./load.ts";
import { check, type DrillReport, say } from "./report.ts";
import { SIGN_IN_ABUSE_ENV, signInAbuseChecks } from "./sign-in-abuse.ts";
import { onStage, type Stage, type StageOptions } from "./stage.ts";

export type FuzzOptions = StageOptions & {
  readonly requests: number;
  /** The same seed sends the same requests (FUZZ_SEED in `npm run drill`). */
  readonly seed: number;
  readonly concurrency?: number;
};

/** The answer to a request; status 0 when none came, with the reason as its body. */
type Answer = { status: number; contentType: string; body: string };

/** What is wrong with an answer, if anything. */
type Fault =
  | "no answer"
  | "5xx"
  | "not problem+json"
  | "malformed problem"
  | "leak"
  | "let in"
  | "could never be stored";

/** Traces of a leak: a stack trace, a PostgreSQL error message, a path into the code. */
const LEAKS =
  /\n\s+at |node_modules|syntax error at or near|violates .* constraint|invalid input syntax|duplicate key/;

/**
 * Fuzz: `requests` malformed or hostile requests over every route in the OpenAPI document (the API, the callback
 * receivers, auth, health and the pages), with wrong types, huge and broken bodies, wrong content types,
 * injections in strings and path ids, and bad or foreign JWTs. No answer may be a 5xx; every 4xx is
 * `application/problem+json` (a page may answer a browser with an HTML page instead); no error leaks internals;
 * no /api route answers a forged token with success; every callback with an id longer than Daraja's gets 400
 * (none is acknowledged, spooled and replayed for ever); nothing is left in the spool; and the server is still
 * alive at the end. Before the fuzz, sign-in is attacked with spoofed X-Forwarded-For values and concurrent
 * wrong passwords (signInAbuseChecks).
 */
export async function runFuzzDrill(options: FuzzOptions): Promise<DrillReport> {
  const drill = "fuzz";
  const what = `${options.requests} hostile requests over every route (seed ${options.seed})`;
  const jwtSecret = randomBytes(32).toString("hex");
  // Errors only in the server's log, so that what it keeps of its output is the unhandled errors.
  const env = { LOG_LEVEL: "error", ...SIGN_IN_ABUSE_ENV, ...options.env, JWT_SECRET: jwtSecret };
  return onStage({ ...options, env }, async (stage) => {
    const { baseUrl } = stage.payme;
    const { target, account } = await prepareTarget(stage, jwtSecret);
    const signInChecks = await signInAbuseChecks(baseUrl, account);
    for (const { name, detail } of signInChecks) {
      say(drill, `${name}: ${detail}`);
    }
    const openapi = expectStatus(
      await call<{ paths: Parameters<typeof routesOf>[0]["paths"] }>(baseUrl, "GET", "/openapi.json"),
      200,
      "openapi",
    );
    const routes: Route[] = routesOf(openapi);
    const requests = [
      ...fuzzRequests(routes, target, { count: options.requests, seed: options.seed }),
      ...oversizedCallbacks(routes, target, { seed: options.seed }),
      ...refundRequests(routes, target),
    ];
    const refunds = requests.filter((request) => request.route.endsWith("/refund")).length;
    say(drill, `${requests.length} requests over ${routes.length} routes (seed ${options.seed})`);

    // Connections of its own, opened now: generating the requests kept the event loop busy for seconds, long
    // enough for the server to close the idle keep-alive connections of the set-up before the client noticed.
    const connections = new Agent();
    const statuses = new Map<number, number>();
    const findings: { request: FuzzRequest; answer: Answer; fault: Fault }[] = [];
    await inPool(requests, options.concurrency ?? 8, async (request) => {
      const answer = await send(baseUrl, request, connections);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const fault = faultOf(request, answer, target, jwtSecret);
      if (fault !== null) {
        findings.push({ request, answer, fault });
      }
    });
    await connections.close();
    const health = await call(baseUrl, "GET", "/health");
    const unhandled = stage.payme
      .output()
      .split("\n")
      .filter((line) => line.includes('"msg":"unhandled error"'));
    for (const error of new Set(unhandled.map(errorOf))) {
      say(drill, `server logged: ${error}`);
    }

    say(
      drill,
      `answers by status: ${[...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(" ")}`,
    );
    for (const { request, answer, fault } of distinct(findings).slice(0, 15)) {
      say(
        drill,
        `${fault}: ${request.method} ${request.path.slice(0, 120)} (${request.headers["content-type"] ?? "no type"}, ` +
          `${request.body?.byteLength ?? 0} bytes) → ${answer.status} ${answer.contentType} ` +
          `${answer.body.slice(0, 160)}`,
      );
    }
    const count = (fault: Fault) => findings.filter((f) => f.fault === fault).length;
    const oversized = requests.filter((request) => request.expectStatus !== undefined).length;
    // A callback that failed would have been answered 200 and spooled: it would not show as a 5xx.
    const spooled = stage.spooled() + stage.quarantined();
    return {
      drill,
      what,
      lost: null,
      doubled: null,
      checks: [
        ...signInChecks,
        check("no 5xx", count("5xx") === 0, `${count("5xx")} answers were 5xx`),
        check("always answered", count("no answer") === 0, `${count("no answer")} requests got no answer`),
        check(
          "errors are problems",
          count("not problem+json") + count("malformed problem") === 0,
          `${count("not problem+json")} not problem+json, ${count("malformed problem")} malformed problems`,
        ),
        check("no leaks", count("leak") === 0, `${count("leak")} errors leaked internals`),
        check(
          "forged tokens and keys refused",
          count("let in") === 0,
          `${count("let in")} forged tokens, forged or revoked keys, or other businesses' keys let in`,
        ),
        check(
          "oversized ids refused",
          oversized > 0 && count("could never be stored") === 0,
          `${count("could never be stored")} of ${oversized} callbacks with ids longer than Daraja's were not refused with 400`,
        ),
        check(
          "refund routes fuzzed",
          refunds > 0,
          `${refunds} requests aimed at the refund routes (hostile amounts, bodies, ids and Idempotency-Keys)`,
        ),
        check("nothing spooled", spooled === 0, `${spooled} callbacks spooled or quarantined`),
        check(
          "alive at the end",
          health.status === 200 && unhandled.length === 0,
          `/health ${health.status}, ${unhandled.length} unhandled errors logged`,
        ),
      ],
    };
  });
}

/**
 * A user with a business, a till (with its API operator), a product, a pending purchase, a pending sale and a
 * balance query, signed in through the API
 * and as a browser: the ids, tokens and callback token the fuzzer mixes into its requests.
 */
async function prepareTarget(
  stage: Stage,
  jwtSecret: string,
): Promise<{ target: FuzzTarget; account: Account }> {
  const { baseUrl } = stage.payme;
  const account: Account = await signUp(baseUrl, "fuzz");
  await setUpTill(baseUrl, account, { initiator: true });
  const productId = await createProduct(baseUrl, account, { name: "Fuzz", price: 50, stock: 1_000_000 });
  const { purchase } = expectStatus(
    await call<{ purchase: { id: string; checkoutRequestId: string } }>(
      baseUrl,
      "POST",
      "/api/wallet-payment/initiate",
      { token: account.token, body: { phone: "0712345678", amount: 50 } },
    ),
    202,
    "wallet purchase",
  );
  const { sale } = expectStatus(
    await call<{ sale: { id: string } }>(baseUrl, "POST", "/api/sales/payment", {
      token: account.token,
      body: { businessId: account.businessId, phone: "0712345678", items: [{ productId, quantity: 1 }] },
    }),
    202,
    "sale",
  );
  const [checkout] = await stage.simulator.checkouts([purchase.checkoutRequestId]);
  // A balance query (answered or still pending), whose id the look-up routes are fuzzed with.
  const balance = await call<{ balanceQuery: { id: string } }>(
    baseUrl,
    "GET",
    `/api/businesses/${account.businessId}/balance`,
    { token: account.token },
  );
  if (balance.status !== 200 && balance.status !== 202) {
    throw new Error(`the fuzz target's balance query answered ${balance.status}`);
  }
  const expendable = expectStatus(
    await call<{ token: string }>(baseUrl, "POST", "/auth/sign-in", {
      body: { email: account.email, password: BENCH_PASSWORD },
    }),
    200,
    "a second sign-in",
  );
  const keyOf = async (owner: Account, scopes?: string[]) =>
    expectStatus(
      await call<{ secret: string; apiKey: { id: string } }>(
        baseUrl,
        "POST",
        `/api/businesses/${owner.businessId}/api-keys`,
        { token: owner.token, body: { name: "fuzz", ...(scopes === undefined ? {} : { scopes }) } },
      ),
      201,
      "an API key",
    );
  const apiKey = await keyOf(account, [...API_KEY_SCOPES]);
  const revoked = await keyOf(account);
  expectStatus(
    await call(baseUrl, "DELETE", `/api/businesses/${account.businessId}/api-keys/${revoked.apiKey.id}`, {
      token: account.token,
    }),
    204,
    "revoking a key",
  );
  const foreign = await keyOf(await signUp(baseUrl, "fuzz-other"));
  const sessionCookie = `payme_session=${account.token}`;
  const dashboard = await fetch(`${baseUrl}/dashboard`, { headers: { cookie: sessionCookie } });
  const csrfToken = /<meta name="csrf-token" content="([^"]+)"/.exec(await dashboard.text())?.[1] ?? "";
  const target: FuzzTarget = {
    baseUrl,
    token: account.token,
    expendableToken: expendable.token,
    forgedTokens: [
      ...(await forgedTokens(jwtSecret, account.userId, account.token)),
      ...forgedApiKeys(apiKey.secret, revoked.secret),
    ],
    apiKey: apiKey.secret,
    foreignApiKey: foreign.secret,
    sessionCookie,
    csrfToken,
    ids: {
      businessId: account.businessId,
      productId,
      purchaseId: purchase.id,
      saleId: sale.id,
      id: sale.id,
      queryId: balance.body.balanceQuery.id,
      receipt: "SBK4QUB1VA",
      token: checkout?.callbackUrl.split("/").at(-1) ?? "",
    },
  };
  return { target, account };
}

async function send(baseUrl: string, request: FuzzRequest, dispatcher: Dispatcher): Promise<Answer> {
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      dispatcher,
      method: request.method,
      headers: request.headers,
      redirect: "manual",
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      body: await response.text(),
    };
  } catch (error) {
    return { status: 0, contentType: "", body: String((error as Error).cause ?? error) };
  }
}

function faultOf(request: FuzzRequest, answer: Answer, target: FuzzTarget, secret: string): Fault | null {
  if (answer.status === 0) {
    return "no answer";
  }
  if (answer.status >= 500) {
    return "5xx";
  }
  if (request.expectStatus !== undefined && answer.status !== request.expectStatus) {
    return "could never be stored";
  }
  const authorization = request.headers.authorization ?? "";
  const guarded = request.path.startsWith("/api/") && !request.path.startsWith("/api/mpesa/");
  const ours = authorization.endsWith(target.token) || authorization.endsWith(target.apiKey);
  if (guarded && answer.status < 300 && !ours && !authorization.endsWith(target.foreignApiKey)) {
    return "let in";
  }
  // Another business's key gets nothing of the target's: none of its ids may be answered with success.
  const sent = `${request.path} ${new TextDecoder().decode(request.body ?? new Uint8Array())}`;
  const targetsOurs = Object.values(target.ids).some((id) => id !== "" && sent.includes(id));
  if (guarded && answer.status < 300 && authorization.endsWith(target.foreignApiKey) && targetsOurs) {
    return "let in";
  }
  if (answer.body.includes(target.apiKey) || answer.body.includes(target.foreignApiKey)) {
    return "leak";
  }
  if (answer.status < 400) {
    return null;
  }
  if (LEAKS.test(answer.body) || answer.body.includes(secret)) {
    return "leak";
  }
  if (request.page && answer.contentType.startsWith("text/html")) {
    return null;
  }
  if (answer.contentType !== "application/problem+json") {
    return "not problem+json";
  }
  if (request.method === "HEAD") {
    return null;
  }
  try {
    const problem = JSON.parse(answer.body) as { status?: unknown; code?: unknown };
    return problem.status === answer.status && typeof problem.code === "string" ? null : "malformed problem";
  } catch {
    return "malformed problem";
  }
}

/** One finding per route, fault and status: the first of each. */
function distinct<T extends { request: FuzzRequest; answer: Answer; fault: Fault }>(findings: T[]): T[] {
  const seen = new Set<string>();
  return findings.filter(({ request, answer, fault }) => {
    const key = `${request.method} ${request.route} ${fault} ${answer.status}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** The type and first words of an error in a server log line. */
function errorOf(line: string): string {
  try {
    const { err } = JSON.parse(line) as { err?: { type?: string; message?: string } };
    return `${err?.type}: ${err?.message?.replace(/\s+/g, " ").slice(-160)}`;
  } catch {
    return line.slice(0, 160);
  }
}
