import { describe, expect, it } from "vitest";
import { Hs256TokenIssuer } from "../../../src/adapters/crypto/hs256-token-issuer.ts";
import { RandomAccessSecrets } from "../../../src/adapters/crypto/random-access-secrets.ts";
import { InMemoryUnitOfWork } from "../../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { ManualClock } from "../../../src/adapters/in-memory/manual-clock.ts";
import { SequentialIdGenerator } from "../../../src/adapters/in-memory/sequential-id-generator.ts";
import { SignIn } from "../../../src/application/accounts/sign-in.ts";
import { SignUp } from "../../../src/application/accounts/sign-up.ts";
import type { PasswordHasher } from "../../../src/application/ports/password-hasher.ts";
import type { PasswordStrength } from "../../../src/application/ports/password-strength.ts";
import type { Busy } from "../../../src/application/shared/application-errors.ts";
import { Email } from "../../../src/domain/email.ts";
import { Password } from "../../../src/domain/password.ts";
import { ok, type Result } from "../../../src/domain/result.ts";
import { aPaymentConfig, unwrap } from "../../support/builders.ts";

/** A hasher that records what it was asked, so a test can see the dummy check happen. */
class RecordingHasher implements PasswordHasher {
  readonly verified: (string | null)[] = [];
  readonly hashed: string[] = [];
  async hash(password: Password): Promise<Result<string, Busy>> {
    this.hashed.push(password.reveal());
    return ok(`hashed:${password.reveal()}`);
  }
  async verify(hash: string | null, password: Password): Promise<Result<boolean, Busy>> {
    this.verified.push(hash);
    return ok(hash === `hashed:${password.reveal()}`);
  }
}

/** Every password is fine: these tests are about signing in, not about password rules. */
const anyPassword: PasswordStrength = { isCommon: async () => ok(false) };

const setup = (passwordStrength: PasswordStrength = anyPassword) => {
  const uow = new InMemoryUnitOfWork();
  const hasher = new RecordingHasher();
  const clock = new ManualClock();
  const tokens = new Hs256TokenIssuer("unit-test-secret-of-at-least-32-bytes!!", 3600, clock);
  const deps = {
    uow,
    hasher,
    tokens,
    clock,
    ids: new SequentialIdGenerator(),
    passwordStrength,
    secrets: new RandomAccessSecrets(),
  };
  return { uow, hasher, signUp: new SignUp(deps), signIn: new SignIn(deps) };
};

describe("SignIn", () => {
  it("checks an unknown email against a dummy hash, so it costs the same as a wrong password", async () => {
    const { hasher, signIn } = setup();
    const result = await signIn.execute({ email: "ghost@example.com", password: "whatever-password" });
    expect(result).toEqual({ ok: false, error: { type: "invalid_credentials" } });
    expect(hasher.verified).toEqual([null]);
  });

  it("turns setupNeeded false once every business has an active config", async () => {
    const { uow, signUp, signIn } = setup();
    const created = await signUp.execute({
      email: unwrap(Email.parse("owner@example.com")),
      password: unwrap(Password.parse("password-1")),
      name: "Owner",
      phone: null,
      businessName: null,
    });
    if (!created.ok) {
      throw new Error("sign-up failed");
    }
    const before = await signIn.execute({ email: "owner@example.com", password: "password-1" });
    expect(before.ok && before.value.setupNeeded).toBe(true);
    await uow.run((r) => r.paymentConfigs.add(aPaymentConfig(created.value.business.id)));
    const after = await signIn.execute({ email: "owner@example.com", password: "password-1" });
    expect(after.ok && after.value.setupNeeded).toBe(false);
  });
});

describe("SignUp", () => {
  it.each([
    ["a password containing the email's local part", anyPassword, "wanjiku-2024!"],
    ["a password the strength port calls common", { isCommon: async () => ok(true) }, "password-1"],
  ] as const)("hashes nothing and stores nothing for %s", async (_, strength, password) => {
    const { hasher, signUp, uow } = setup(strength);
    const result = await signUp.execute({
      email: unwrap(Email.parse("wanjiku@example.com")),
      password: unwrap(Password.parse(password)),
      name: "Wanjiku",
      phone: null,
      businessName: null,
    });
    expect(result).toMatchObject({ ok: false, error: { type: "invalid_input" } });
    expect(hasher.hashed).toEqual([]);
    expect(uow.tables.users.size).toBe(0);
  });
});
