import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningPayMe, startPayMe, startSimulator } from "../support/payme-server.ts";
import { signUpThroughApi } from "../support/test-app.ts";
import { openTestDatabase, type TestDatabaseKind, testDatabaseKinds } from "../support/test-database.ts";

type Problem = { code: string; errors?: { path: string }[] };
type Answer = { status: number; body: Record<string, unknown> };

/** The highest rate of tokens per shilling: the largest purchase's tokens are then just under 2^31. */
const TOKENS_PER_KES = 8589;

/**
 * The exact value of a JSON number as written, when it is a whole number (null when it has a fraction). Very large
 * values are capped at 10^60, larger than any bound.
 */
function exactWhole(raw: string): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (match === null) {
    throw new Error(`${raw} is no JSON number`);
  }
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  let digits = `${whole}${fraction}`;
  let scale = Number(exponent) - fraction.length;
  while (scale < 0 && digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    scale += 1;
  }
  if (/^0*$/.test(digits)) {
    return 0n;
  }
  if (scale < 0) {
    return null;
  }
  const magnitude = scale > 60 ? 10n ** 60n : BigInt(digits) * 10n ** BigInt(scale);
  return sign === "-" ? -magnitude : magnitude;
}

/** JSON number texts of every awkward kind: edges, 2^31, 2^53, huge, negative, fractional, exponent forms. */
const jsonNumber: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "0",
      "-0",
      "-0.0",
      "1",
      "-1",
      "10000",
      "10001",
      "200",
      "201",
      "250000",
      "250001",
      "1000000",
      "1000001",
      "2147483647",
      "2147483648",
      "4294967296",
      "-2147483649",
      "9007199254740991",
      "9007199254740992",
      "9007199254740993",
      "99999999999999999999999",
      "1e3",
      "2.5e5",
      "2.5E+5",
      "25e4",
      "1e6",
      "1e7",
      "1E400",
      "-1e400",
      "1e-400",
      "5e-324",
      "1e308",
      "250000.0",
      "1.0",
      "1.0000000000000001",
      "250000.00000000001",
      "0.5",
      "12.50",
    ),
  },
  fc.integer({ min: -10, max: 1_100_000 }).map(String),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc
    .tuple(
      fc.integer({ min: 0, max: 300_000 }),
      fc.stringMatching(/^\d{1,20}$/),
      fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
    )
    .map(
      ([whole, fraction, exponent]) => `${whole}.${fraction}${exponent === undefined ? "" : `e${exponent}`}`,
    ),
  fc
    .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 12 }))
    .map(([mantissa, exponent]) => `${mantissa}e${exponent}`),
);

describe.each(testDatabaseKinds())("numbers at the HTTP edge, on %s", (kind: TestDatabaseKind) => {
  let stage: { payme: RunningPayMe; close: () => Promise<void> } | null = null;
  beforeAll(async () => {
    const { database, drop } = await openTestDatabase(kind);
    const { listening } = await startSimulator({ delayMs: 20 });
    const payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      env: {
        WALLET_TOKENS_PER_KES: String(TOKENS_PER_KES),
        ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true",
        PUSHES_PER_PHONE: "1000000",
        WALLET_PUSHES_PER_HOUR: "1000000",
        BUSINESS_PUSHES_PER_MINUTE: "1000000",
      },
    });
    stage = {
      payme,
      close: async () => {
        await payme.stop();
        await listening.close();
        await drop();
      },
    };
  });
  afterAll(() => stage?.close());

  const app = () => {
    if (stage === null) {
      throw new Error("PayMe is not running yet");
    }
    return stage.payme.app;
  };
  const send = async (method: string, path: string, token: string, body?: string): Promise<Answer> => {
    const response = await app().request(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const owner = async () => {
    const signedUp = await signUpThroughApi(app());
    const config = await send(
      "POST",
      "/api/payment-config/setup",
      signedUp.token,
      JSON.stringify({
        paymentMethod: "till",
        shortcode: "5123456",
        accountName: "Duka",
        passkey: "a-passkey",
      }),
    );
    expect(config.status).toBe(201);
    return signedUp;
  };

  /**
   * The property every number field must have: the answer is never a 5xx; a whole number within [min, max] as
   * written is accepted and `stored` reads it back exactly; anything else is 400 validation_failed naming `path`.
   */
  const accepts = async (
    raw: string,
    bounds: { readonly min: number; readonly max: number; readonly path: string; readonly success: number },
    answer: Answer,
    stored: (answer: Answer) => Promise<unknown>,
  ) => {
    expect(answer.status).toBeLessThan(500);
    const exact = exactWhole(raw);
    const valid = exact !== null && exact >= BigInt(bounds.min) && exact <= BigInt(bounds.max);
    if (valid) {
      expect(answer.status, `${raw} is valid`).toBe(bounds.success);
      expect(await stored(answer)).toBe(Number(exact));
    } else {
      expect(answer.status, `${raw} is not valid`).toBe(400);
      const problem = answer.body as Problem;
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors?.map((e) => e.path)).toContain(bounds.path);
    }
  };

  const RUNS = { numRuns: 40 };

  it("takes a product's price (1 to 250,000) and stock (0 to 1,000,000) exactly, or refuses them by name", async () => {
    const shop = await owner();
    const products = `/api/businesses/${shop.businessId}/products`;
    const { product } = (
      await send("POST", products, shop.token, JSON.stringify({ name: "Chai", price: 10, stock: 1 }))
    ).body as { product: { id: string } };
    const storedField = (field: "price" | "stock") => async (answer: Answer) => {
      const id = (answer.body.product as { id: string }).id;
      const listed = (await send("GET", `${products}?limit=200`, shop.token)).body.products as Record<
        string,
        unknown
      >[];
      return listed.find((p) => p.id === id)?.[field];
    };
    await fc.assert(
      fc.asyncProperty(jsonNumber, fc.boolean(), async (raw, onPrice) => {
        const body = onPrice
          ? `{"name":"Sukari","price":${raw},"stock":1}`
          : `{"name":"Sukari","price":100,"stock":${raw}}`;
        const field = onPrice ? "price" : "stock";
        const bounds = onPrice ? { min: 1, max: 250_000 } : { min: 0, max: 1_000_000 };
        const created = await send("POST", products, shop.token, body);
        await accepts(raw, { ...bounds, path: field, success: 201 }, created, storedField(field));
        const patched = await send("PATCH", `${products}/${product.id}`, shop.token, `{"${field}":${raw}}`);
        await accepts(raw, { ...bounds, path: field, success: 200 }, patched, storedField(field));
      }),
      RUNS,
    );
  });

  it("takes a sale's amount (1 to 250,000) and an item's quantity (1 to 10,000) exactly, or refuses them by name", async () => {
    const shop = await owner();
    const { product } = (
      await send(
        "POST",
        `/api/businesses/${shop.businessId}/products`,
        shop.token,
        JSON.stringify({ name: "Pipi", price: 1, stock: 1_000_000 }),
      )
    ).body as { product: { id: string } };
    const sale = (answer: Answer) => answer.body.sale as { amount: number; items: { quantity: number }[] };
    await fc.assert(
      fc.asyncProperty(jsonNumber, fc.boolean(), async (raw, asAmount) => {
        const body = asAmount
          ? `{"businessId":"${shop.businessId}","phone":"0712345678","amount":${raw}}`
          : `{"businessId":"${shop.businessId}","phone":"0712345678","items":[{"productId":"${product.id}","quantity":${raw}}]}`;
        const answer = await send("POST", "/api/sales/payment", shop.token, body);
        if (asAmount) {
          await accepts(raw, { min: 1, max: 250_000, path: "amount", success: 202 }, answer, async (a) => {
            const id = (a.body.sale as { id: string }).id;
            return sale(await send("GET", `/api/sales/${id}`, shop.token)).amount;
          });
        } else {
          await accepts(
            raw,
            { min: 1, max: 10_000, path: "items.0.quantity", success: 202 },
            answer,
            async (a) => {
              const id = (a.body.sale as { id: string }).id;
              const stored = sale(await send("GET", `/api/sales/${id}`, shop.token));
              expect(stored.amount).toBe(stored.items[0]?.quantity);
              return stored.items[0]?.quantity;
            },
          );
        }
      }),
      RUNS,
    );
  });

  it("takes a wallet amount (1 to 250,000) exactly, with its tokens at the highest rate, or refuses it by name", async () => {
    const buyer = await owner();
    await fc.assert(
      fc.asyncProperty(jsonNumber, async (raw) => {
        const answer = await send(
          "POST",
          "/api/wallet-payment/initiate",
          buyer.token,
          `{"phone":"0712345678","amount":${raw}}`,
        );
        await accepts(raw, { min: 1, max: 250_000, path: "amount", success: 202 }, answer, async (a) => {
          const { id } = a.body.purchase as { id: string };
          const { purchase } = (await send("GET", `/api/wallet-payment/${id}`, buyer.token)).body as {
            purchase: { amount: number; tokens: number };
          };
          expect(purchase.tokens).toBe(purchase.amount * TOKENS_PER_KES);
          return purchase.amount;
        });
      }),
      RUNS,
    );
  });

  it("keeps a balance exact past 2^31 tokens", async () => {
    const buyer = await owner();
    for (let i = 0; i < 2; i += 1) {
      const bought = await send(
        "POST",
        "/api/wallet-payment/initiate",
        buyer.token,
        JSON.stringify({ phone: "0712345678", amount: 250_000 }),
      );
      expect(bought.status).toBe(202);
    }
    const balance = await eventually(async () => {
      const wallet = (await send("GET", "/api/wallet", buyer.token)).body as { balance: number };
      return wallet.balance === 2 * 250_000 * TOKENS_PER_KES ? wallet.balance : undefined;
    });
    expect(balance).toBe(4_294_500_000);
  });

  it("takes a page size of 1 to 200, written as digits, or refuses it by name", async () => {
    const reader = await owner();
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonNumber, fc.string({ maxLength: 12 })), async (raw) => {
        const answer = await send("GET", `/api/wallet?limit=${encodeURIComponent(raw)}`, reader.token);
        expect(answer.status).toBeLessThan(500);
        const valid = /^\d+$/.test(raw) && BigInt(raw) >= 1n && BigInt(raw) <= 200n;
        if (valid) {
          expect(answer.status).toBe(200);
        } else {
          expect(answer.status).toBe(400);
          expect((answer.body as Problem).errors?.map((e) => e.path)).toContain("limit");
        }
      }),
      RUNS,
    );
  });
});
