import fc from "fast-check";

/** One operation of the OpenAPI document, as much as the fuzzer needs of it. */
export type Route = {
  readonly method: string;
  /** The OpenAPI template, e.g. /api/sales/{saleId}. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly body: "json" | "form" | null;
  /** The body's top-level fields, as documented (forms document none: the pages' field names are used). */
  readonly fields: readonly string[];
  /** A browser page: it may answer with an HTML page (a form showing its errors) instead of a problem. */
  readonly page: boolean;
};

/** What exists on the server under fuzz, so that some requests get past validation and into the use cases. */
export type FuzzTarget = {
  readonly baseUrl: string;
  readonly token: string;
  /**
   * Another token of the same user, sent instead of `token` to the sign-out routes: signing out revokes the token
   * it is sent with, which would leave the rest of the fuzz only 401s.
   */
  readonly expendableToken: string;
  /** Tokens that must be refused: `alg: none`, wrong signature, expired, another secret… */
  readonly forgedTokens: readonly string[];
  /** An API key of the target's business with every scope: it may be let in, within its scopes. */
  readonly apiKey: string;
  /** A valid API key of another business: it must never get at the target's business or its resources. */
  readonly foreignApiKey: string;
  /** The signed-in browser's session cookie and its CSRF token. */
  readonly sessionCookie: string;
  readonly csrfToken: string;
  /** Real ids by path parameter name: businessId, productId, purchaseId, saleId… */
  readonly ids: Readonly<Record<string, string>>;
};

export type FuzzRequest = {
  readonly method: string;
  /** Path and query, already encoded (or deliberately not). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** The route it aims at (its template), or "unknown" for paths PayMe does not serve. */
  readonly route: string;
  readonly page: boolean;
  /** The one status the answer must have (a callback that could never be stored must get 400). */
  readonly expectStatus?: number;
};

type OpenApiOperation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
};

const PAGE_FORM_FIELDS = [
  "_csrf",
  "email",
  "password",
  "name",
  "phone",
  "amount",
  "business",
  "paymentMethod",
  "shortcode",
  "storeNumber",
  "passkey",
  "accountName",
  "accountReference",
  "price",
  "stock",
  "productId",
  "quantity",
  "next",
];

const API_PREFIXES = /^\/(api|auth|health|ready|metrics|openapi\.json|docs)(\/|$)/;

/** The operations listed in PayMe's OpenAPI document (which includes the callback routes and the pages). */
export function routesOf(openapi: { paths: Record<string, Record<string, OpenApiOperation>> }): Route[] {
  return Object.entries(openapi.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const content = operation.requestBody?.content ?? {};
      const body = "application/json" in content ? "json" : Object.keys(content).length > 0 ? "form" : null;
      const parameters = operation.parameters ?? [];
      return {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === "query").map((p) => p.name),
        body,
        fields:
          body === "json"
            ? Object.keys(content["application/json"]?.schema?.properties ?? {})
            : body === "form"
              ? PAGE_FORM_FIELDS
              : [],
        page: !API_PREFIXES.test(path),
      };
    }),
  );
}

/** Strings an attacker or a broken client sends: injections, control characters, odd numbers, sheer length. */
const hostileText = fc.oneof(
  fc.constantFrom(
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "Robert'); DROP TABLE sales;--",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection, sent as text on purpose
    "${7*7}",
    "{{7*7}}",
    "../../../../etc/passwd",
    "%00",
    "\u0000",
    "nul\u0000byte",
    "\u202e\u200b",
    "𝕏𝕐ℤ 🤑",
    "\ud800",
    "null",
    "NaN",
    "-1",
    "1e309",
    "0x7fffffff",
    " ",
    "",
    "a".repeat(10_000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, true, false, null, [], {}),
  fc.integer(),
  fc.jsonValue({ maxDepth: 3 }),
);

let emails = 0;

/** A value that passes the field's rule, so that other fields' faults reach the use cases. */
function plausible(field: string, target: FuzzTarget): unknown {
  const values: Record<string, unknown> = {
    email: `fuzz-${++emails}@example.com`,
    password: "fuzz-password-1",
    name: "Fuzz",
    businessName: "Fuzz Duka",
    phone: "0712345678",
    amount: 50,
    price: 50,
    stock: 5,
    quantity: 1,
    paymentMethod: "till",
    shortcode: "5123456",
    storeNumber: "5123457",
    passkey: "fuzz-passkey",
    accountName: "Fuzz",
    accountReference: "FUZZ1",
    initiatorName: "fuzzer",
    initiatorPassword: "fuzz-initiator",
    commandId: "BusinessPayment",
    remarks: "fuzz",
    description: "fuzz",
    limit: "10",
    status: "paid",
    business: target.ids.businessId,
    _csrf: target.csrfToken,
    items: [{ productId: target.ids.productId, quantity: 1 }],
  };
  return values[field] ?? target.ids[field] ?? "fuzz";
}

const encoder = new TextEncoder();

/** Every byte of the UTF-8 form percent-encoded (encodeURIComponent throws on a lone surrogate). */
const percentEncoded = (text: string) =>
  Array.from(encoder.encode(text), (byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");

/** A body for a route: shaped like its fields (each plausible, hostile or missing), or broken on purpose. */
function bodyFor(
  route: Route,
  target: FuzzTarget,
): fc.Arbitrary<{ contentType: string | null; text: string }> {
  const fields = route.fields.length > 0 ? route.fields : ["value"];
  const shaped = fc
    .tuple(...fields.map(() => fc.oneof(fc.constant("plausible"), fc.constant("missing"), hostileValue)))
    .map((choices) =>
      Object.fromEntries(
        fields.flatMap((field, i) => {
          const choice = choices[i];
          return choice === "missing"
            ? []
            : [[field, choice === "plausible" ? plausible(field, target) : choice]];
        }),
      ),
    );
  const asForm = (value: Record<string, unknown>) =>
    new URLSearchParams(
      Object.entries(value).map(([k, v]): [string, string] => [
        k,
        typeof v === "string" ? v : (JSON.stringify(v) ?? ""),
      ]),
    ).toString();
  const natural = route.body === "form" ? "application/x-www-form-urlencoded" : "application/json";
  return fc.oneof(
    {
      weight: 8,
      arbitrary: shaped.map((value) => ({
        contentType: natural,
        text: route.body === "form" ? asForm(value) : JSON.stringify(value),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue({ maxDepth: 4 })
        .map((value) => ({ contentType: natural, text: JSON.stringify(value) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom("{", '{"a":1', "[", "nul", "{'a':1}", '"\\u00"', '{"a":1}}', "", "\u0000", "{}garbage")
        .map((text) => ({ contentType: natural, text })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          shaped,
          fc.constantFrom(
            null,
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/json",
            "multipart/form-data; boundary=fuzz",
            "application/json; charset=utf-16",
            "application/xml",
            "application/problem+json",
          ),
        )
        .map(([value, contentType]) => ({ contentType, text: JSON.stringify(value) })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { contentType: natural, text: `${"[".repeat(20_000)}${"]".repeat(20_000)}` },
        { contentType: natural, text: `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}` },
        { contentType: natural, text: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }) },
        { contentType: "application/x-www-form-urlencoded", text: `email=${"%".repeat(1000)}` },
      ),
    },
  );
}

const PATH_PARAM_ATTACKS = fc.constantFrom(
  "not-an-id",
  "00000000-0000-0000-0000-000000000000",
  "1' OR '1'='1",
  "%27%20OR%201%3D1",
  "<script>",
  "..%2F..%2Fetc%2Fpasswd",
  "%zz",
  "%",
  "%00",
  "x".repeat(5_000),
  "%F0%9F%A4%91",
  "-1",
  "1e9",
);

function pathFor(route: Route, target: FuzzTarget): fc.Arbitrary<string> {
  const param = (name: string, known = target.ids[name]) =>
    fc.oneof(
      { weight: 3, arbitrary: known === undefined ? fc.uuid() : fc.constant(encodeURIComponent(known)) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: PATH_PARAM_ATTACKS },
      { weight: 2, arbitrary: hostileText.map(percentEncoded) },
    );
  const query = fc.tuple(
    ...[...route.queryParams, "unexpected"].map((name) =>
      fc.oneof(
        fc.constant(null),
        fc.constant(String(plausible(name, target))),
        hostileText,
        fc.constantFrom("-1", "0", "201", "abc", "1.5", "99999999999999999999"),
      ),
    ),
  );
  return fc.tuple(fc.tuple(...route.pathParams.map((name) => param(name))), query).map(([params, values]) => {
    let path = route.path;
    route.pathParams.forEach((name, i) => {
      path = path.replace(`{${name}}`, params[i] ?? "");
    });
    const search = new URLSearchParams();
    [...route.queryParams, "unexpected"].forEach((name, i) => {
      const value = values[i];
      if (typeof value === "string") {
        search.set(name, value);
      }
    });
    return search.size > 0 ? `${path}?${search}` : path;
  });
}

function headersFor(target: FuzzTarget): fc.Arbitrary<Record<string, string>> {
  const ascii = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 300,
  });
  return fc
    .record(
      {
        authorization: fc.oneof(
          { weight: 6, arbitrary: fc.constant(`Bearer ${target.token}`) },
          { weight: 4, arbitrary: fc.constantFrom(...target.forgedTokens).map((token) => `Bearer ${token}`) },
          { weight: 2, arbitrary: fc.constant(`Bearer ${target.apiKey}`) },
          { weight: 1, arbitrary: fc.constant(`Bearer ${target.foreignApiKey}`) },
          fc.constantFrom(
            "Bearer",
            "Basic Zm9vOmJhcg==",
            `bearer ${target.token}`,
            `Bearer  ${target.token}`,
          ),
        ),
        cookie: fc.oneof(
          { weight: 3, arbitrary: fc.constant(target.sessionCookie) },
          fc.constantFrom(
            "payme_session=garbage",
            `payme_session=${target.forgedTokens[0] ?? ""}`,
            "payme_session=",
          ),
        ),
        origin: fc.constantFrom(target.baseUrl, "https://evil.example", "null"),
        "x-csrf-token": fc.constantFrom(target.csrfToken, "forged"),
        "idempotency-key": fc.oneof(fc.uuid(), ascii, fc.constant("k".repeat(5_000))),
        "x-request-id": ascii,
        "sec-fetch-site": fc.constantFrom("same-origin", "cross-site"),
        // Behind one trusted hop, the rightmost value is the client's: spoofed chains, garbage and sheer length.
        "x-forwarded-for": fc.oneof(
          fc.ipV4(),
          fc.ipV6(),
          fc
            .tuple(fc.array(fc.oneof(fc.ipV4(), ascii), { maxLength: 5 }), fc.ipV4())
            .map(([spoofed, client]) => [...spoofed, client].join(", ")),
          ascii,
          fc.constantFrom("unknown", ",,,", " ", "x".repeat(8_000), "::ffff:127.0.0.1", "fe80::1%eth0"),
        ),
      },
      { requiredKeys: [] },
    )
    .map((headers) => headers as Record<string, string>);
}

/** A wrong method on a known path, or a path PayMe does not serve. */
const strayRequest = fc.oneof(
  fc.constantFrom(
    "/api/nope",
    "/.env",
    "/wp-admin/",
    "/api/mpesa/callback/../../auth/me",
    "/api//businesses",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/dashboard/nope",
    "/sign-in/",
    "/docs/assets/..%2F..%2Fpackage.json",
    "/docs/assets/%zz",
    "/api/sales",
    "/metrics/x",
  ),
  hostileText.map((text) => `/${percentEncoded(text)}`),
);

/** Text no PostgreSQL index can hold past ~2,700 bytes, and that does not compress (unlike "xxx…"). */
const oversized = (min: number) =>
  fc.string({
    unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"),
    minLength: min,
    maxLength: 4000,
  });

const stkCallback = (fields: Record<string, unknown>, items: { Name: string; Value: unknown }[] = []) => ({
  Body: {
    stkCallback: {
      MerchantRequestID: "29115-34620561-1",
      CheckoutRequestID: "ws_CO_16112025183706196790370094",
      ResultCode: 0,
      ResultDesc: "The service request is processed successfully.",
      CallbackMetadata: {
        Item: [{ Name: "Amount", Value: 50 }, { Name: "PhoneNumber", Value: 254712345678 }, ...items],
      },
      ...fields,
    },
  },
});

const darajaResult = (
  fields: Record<string, unknown>,
  parameters: { Key: string; Value: unknown }[] = [],
) => ({
  Result: {
    ResultType: 0,
    ResultCode: 0,
    ResultDesc: "The service request is processed successfully.",
    OriginatorConversationID: "bf47-4a79-a5e6-6bd68fe3b14e5682",
    ConversationID: "AG_20240706_2010364430d9bbdaf872",
    TransactionID: "SG632NMUAB",
    ResultParameters: { ResultParameter: [{ Key: "TransactionAmount", Value: 50 }, ...parameters] },
    ...fields,
  },
});

/** Every way a callback of each kind can carry an id (or a text) longer than Daraja's, as a body maker. */
const OVERSIZED_BODIES: Readonly<Record<"stk" | "result" | "timeout", ((long: string) => unknown)[]>> = {
  stk: [
    (long) => stkCallback({ CheckoutRequestID: long }),
    (long) => stkCallback({ MerchantRequestID: long }),
    (long) => stkCallback({}, [{ Name: "MpesaReceiptNumber", Value: long }]),
    (long) => stkCallback({ ResultCode: long }),
  ],
  result: [
    (long) => darajaResult({ OriginatorConversationID: long }),
    (long) => darajaResult({ ConversationID: long }),
    (long) => darajaResult({ TransactionID: long }),
    (long) => darajaResult({}, [{ Key: "TransactionReceipt", Value: long }]),
    (long) => darajaResult({}, [{ Key: "ReceiptNo", Value: long }]),
    (long) => darajaResult({}, [{ Key: "OriginatorConversationID", Value: long }]),
  ],
  timeout: [
    (long) => ({
      Result: { OriginatorConversationID: long, ResultDesc: "The service request has timed out." },
    }),
    (long) => ({ ConversationID: long }),
  ],
};

const callbackKind = (path: string): keyof typeof OVERSIZED_BODIES | null =>
  path.startsWith("/api/mpesa/callback")
    ? "stk"
    : /^\/api\/mpesa\/[a-z]+\/result\//.test(path)
      ? "result"
      : /^\/api\/mpesa\/[a-z]+\/timeout\//.test(path)
        ? "timeout"
        : null;

/**
 * Callbacks that could never be stored: on every callback route of the document (with the real token of a pending
 * payment where the route takes one), a Daraja-shaped body with one id or text longer than Daraja's, of 65 to 4,000
 * characters. Each must be refused with 400, never acknowledged (and spooled) as if it could be applied later.
 */
export function oversizedCallbacks(
  routes: readonly Route[],
  target: FuzzTarget,
  options: { seed: number },
): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  for (const route of routes.filter((r) => r.method === "POST")) {
    const kind = callbackKind(route.path);
    if (kind === null) {
      continue;
    }
    const path = route.path.replace("{token}", encodeURIComponent(target.ids.token ?? "fuzz"));
    // Past the index's limit for one half, just past Daraja's for the other.
    const lengths = OVERSIZED_BODIES[kind].map(
      (_, i) => fc.sample(oversized(i % 2 === 0 ? 2800 : 65), { seed: options.seed + i, numRuns: 1 })[0],
    );
    OVERSIZED_BODIES[kind].forEach((body, i) => {
      requests.push({
        ...compose(
          "POST",
          path,
          {},
          { contentType: "application/json", text: JSON.stringify(body(lengths[i] ?? "")) },
          route.path,
          false,
        ),
        expectStatus: 400,
      });
    });
  }
  return requests;
}

/** `count` requests over `routes`, reproducible from `seed`. */
export function fuzzRequests(
  routes: readonly Route[],
  target: FuzzTarget,
  options: { count: number; seed: number },
): FuzzRequest[] {
  const aimed = fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(route.method) },
          fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "POST", "GET"),
        ),
        path: pathFor(route, target),
        headers: headersFor(target),
        body: fc.option(bodyFor(route, target), { freq: 8 }),
      })
      .map(({ method, path, headers, body }) =>
        compose(
          method,
          path,
          SIGN_OUT_ROUTES.has(route.path)
            ? withToken(headers, target.token, target.expendableToken)
            : headers,
          body,
          route.path,
          route.page,
        ),
      ),
  );
  const stray = fc
    .record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
      path: strayRequest,
      headers: headersFor(target),
    })
    .map(({ method, path, headers }) => compose(method, path, headers, null, "unknown", false));
  return fc.sample(fc.oneof({ weight: 19, arbitrary: aimed }, { weight: 1, arbitrary: stray }), {
    seed: options.seed,
    numRuns: options.count,
  });
}

/** The routes that revoke the token they are sent with. */
const SIGN_OUT_ROUTES = new Set(["/auth/sign-out", "/sign-out"]);

/** The headers with every occurrence of one token (bearer or cookie) replaced by another. */
function withToken(headers: Record<string, string>, from: string, to: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, value.replaceAll(from, to)]),
  );
}

function compose(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: { contentType: string | null; text: string } | null,
  route: string,
  page: boolean,
): FuzzRequest {
  const bodyAllowed = method !== "GET" && method !== "HEAD" && body !== null;
  return {
    method,
    path,
    headers: {
      ...headers,
      ...(bodyAllowed && body.contentType !== null ? { "content-type": body.contentType } : {}),
    },
    ...(bodyAllowed ? { body: encoder.encode(body.text) } : {}),
    route,
    page,
  };
}

/** Bodies a refund must refuse with a 4xx (or take, for the plausible ones), and never answer with a 5xx. */
const REFUND_BODIES: readonly unknown[] = [
  {},
  { amount: 0 },
  { amount: 1.5 },
  { amount: "10" },
  { amount: -10 },
  { amount: 1e21 },
  { amount: 9 },
  { amount: 10 },
  { amount: 49 },
  { amount: 50, restock: true },
  { restock: "yes" },
  { reason: "x".repeat(10_000) },
  { reason: null, restock: null, amount: null },
  [],
  "refund",
];

/**
 * Requests aimed at every refund route (routes that move money back), whatever the random draw picks: each hostile
 * body with the target's bearer token, through its real sale and a random id, with and without an
 * Idempotency-Key (the same key again with another body too).
 */
export function refundRequests(routes: readonly Route[], target: FuzzTarget): FuzzRequest[] {
  // The API's refund routes; the dashboard's refund form is a page, fuzzed with the others.
  const refundRoutes = routes.filter(
    (route) => route.method === "POST" && route.path.endsWith("/refund") && !route.page,
  );
  return refundRoutes.flatMap((route) =>
    [target.ids.saleId ?? "", crypto.randomUUID(), "not-an-id"].flatMap((id) => {
      const path = route.path.replace(/\{[A-Za-z]+\}/, encodeURIComponent(id));
      return REFUND_BODIES.flatMap((body, i) =>
        [null, "fuzz-refund-key"].map((key) => ({
          method: "POST",
          path,
          headers: {
            authorization: `Bearer ${target.token}`,
            "content-type": "application/json",
            ...(key === null ? {} : { "idempotency-key": `${key}-${i % 3}` }),
          },
          body: encoder.encode(JSON.stringify(body)),
          route: route.path,
          page: false,
        })),
      );
    }),
  );
}
