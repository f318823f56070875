import { describe, expect, it } from "vitest";
import { AccountName } from "../../../src/domain/account-name.ts";
import { DarajaCredential } from "../../../src/domain/daraja-credential.ts";

describe("AccountName", () => {
  it("keeps a trimmed name of 1 to 100 characters", () => {
    const name = AccountName.parse("  Duka La Mama ");
    expect(name.ok && name.value.value).toBe("Duka La Mama");
    expect(AccountName.parse("x".repeat(AccountName.MAX)).ok).toBe(true);
  });

  it("names the field and the rule for a missing, blank or too long name", () => {
    const messages = [undefined, "   ", "x".repeat(AccountName.MAX + 1)].map((input) => {
      const parsed = AccountName.parse(input);
      return parsed.ok ? null : parsed.error.errors;
    });
    expect(messages).toEqual([
      [{ path: "accountName", message: "is required" }],
      [{ path: "accountName", message: "must not be empty" }],
      [{ path: "accountName", message: "must be at most 100 characters" }],
    ]);
  });
});

describe("DarajaCredential", () => {
  it("keeps the trimmed text for sealing, and never shows it when serialised", () => {
    const passkey = DarajaCredential.parse(" bfb279f9aa9bdbcf ", "passkey");
    expect(passkey.ok && passkey.value.reveal()).toBe("bfb279f9aa9bdbcf");
    expect(passkey.ok && JSON.stringify({ passkey: passkey.value })).toBe('{"passkey":"[credential]"}');
    expect(passkey.ok && String(passkey.value)).toBe("[credential]");
  });

  it("refuses a missing, blank or over-long credential under the field's own name", () => {
    const errors = [42, "  ", "k".repeat(DarajaCredential.MAX + 1)].map((input) => {
      const parsed = DarajaCredential.parse(input, "consumerSecret");
      return parsed.ok ? null : parsed.error.errors;
    });
    expect(errors).toEqual([
      [{ path: "consumerSecret", message: "is required" }],
      [{ path: "consumerSecret", message: "must not be empty" }],
      [{ path: "consumerSecret", message: "must be at most 512 characters" }],
    ]);
    expect(DarajaCredential.parse("k".repeat(DarajaCredential.MAX), "passkey").ok).toBe(true);
  });
});
