import { describe, expect, it } from "vitest";
import { InitiatorName } from "../../../src/domain/initiator-name.ts";
import { InitiatorPassword } from "../../../src/domain/initiator-password.ts";

describe("InitiatorName", () => {
  it("keeps a trimmed username of 1 to 64 characters", () => {
    const name = InitiatorName.parse(" testapi ");
    expect(name.ok && name.value.value).toBe("testapi");
    expect(InitiatorName.parse("n".repeat(InitiatorName.MAX)).ok).toBe(true);
  });

  it("refuses a missing, blank or too long name", () => {
    const errors = [null, " ", "n".repeat(InitiatorName.MAX + 1)].map((input) => {
      const parsed = InitiatorName.parse(input);
      return parsed.ok ? null : parsed.error.errors;
    });
    expect(errors).toEqual([
      [{ path: "initiatorName", message: "is required" }],
      [{ path: "initiatorName", message: "must not be empty" }],
      [{ path: "initiatorName", message: "must be at most 64 characters" }],
    ]);
  });
});

describe("InitiatorPassword", () => {
  it("keeps the password exactly as typed, spaces and all, and never shows it when serialised", () => {
    const password = InitiatorPassword.parse(" p w ");
    expect(password.ok && password.value.reveal()).toBe(" p w ");
    expect(password.ok && JSON.stringify(password.value)).toBe('"[initiator password]"');
    expect(InitiatorPassword.parse("p".repeat(InitiatorPassword.MAX)).ok).toBe(true);
  });

  it("refuses an empty password and one too long to encrypt", () => {
    const errors = [undefined, "", "p".repeat(InitiatorPassword.MAX + 1)].map((input) => {
      const parsed = InitiatorPassword.parse(input);
      return parsed.ok ? null : parsed.error.errors;
    });
    expect(errors).toEqual([
      [{ path: "initiatorPassword", message: "is required" }],
      [{ path: "initiatorPassword", message: "is required" }],
      [{ path: "initiatorPassword", message: "must be at most 128 characters" }],
    ]);
  });
});
