import { describe, expect, it } from "vitest";
import { pathRedactor, redactPath } from "../../src/adapters/http/redact-path.ts";

const TOKEN = "Fk2yQ8vN0pR5tW3xZ7bC1dE4gH6jK9mL0nP2qS5uV8w";

describe("pathRedactor", () => {
  it.each([
    [`/api/mpesa/callback/${TOKEN}`, "/api/mpesa/callback/[token]"],
    [`/api/mpesa/b2c/result/${TOKEN}`, "/api/mpesa/b2c/result/[token]"],
    [`/api/mpesa/b2c/timeout/${TOKEN}`, "/api/mpesa/b2c/timeout/[token]"],
    [`/api/mpesa/status/result/${TOKEN}`, "/api/mpesa/status/result/[token]"],
    [`/api/mpesa/status/timeout/${TOKEN}`, "/api/mpesa/status/timeout/[token]"],
    [`/api/mpesa/reversal/result/${TOKEN}`, "/api/mpesa/reversal/result/[token]"],
    [`/api/mpesa/balance/timeout/${TOKEN}`, "/api/mpesa/balance/timeout/[token]"],
    [`/hooks/c2b/confirmation/${TOKEN}`, "/hooks/c2b/confirmation/[token]"],
    [`/hooks/c2b/validation/${TOKEN}`, "/hooks/c2b/validation/[token]"],
    // The receiver at MPESA_CALLBACK_URL's own path, with a trailing slash in the setting.
    [`/hooks/stk/${TOKEN}`, "/hooks/stk/[token]"],
    // Whatever follows the receiver's path, in any case: a token split by a slash is still masked.
    [`/hooks/stk/${TOKEN}/extra/${TOKEN}`, "/hooks/stk/[token]"],
    [`/HOOKS/STK/${TOKEN}`, "/HOOKS/STK/[token]"],
    [`/API/MPESA/CALLBACK/${TOKEN}`, "/API/MPESA/CALLBACK/[token]"],
    // Nothing to mask.
    ["/api/mpesa/callback", "/api/mpesa/callback"],
    ["/hooks/stk", "/hooks/stk"],
    ["/api/sales/0199-aa", "/api/sales/0199-aa"],
    ["/hooks/stkx/abc", "/hooks/stkx/abc"],
  ])("masks %s", (path, masked) => {
    expect(pathRedactor(["/api/mpesa/callback", "/hooks/stk/"])(path)).toBe(masked);
  });

  it("masks the seed's receiver and the fixed routes without being told any path", () => {
    expect(redactPath(`/api/mpesa/callback/${TOKEN}`)).toBe("/api/mpesa/callback/[token]");
    expect(redactPath(`/pay/callback/${TOKEN}`)).toBe("/pay/callback/[token]");
    expect(redactPath(`/hooks/c2b/validation/${TOKEN}`)).toBe("/hooks/c2b/validation/[token]");
  });
});
