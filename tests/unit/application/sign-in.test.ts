import { describe, expect, it } from "vitest";
import { Hs256TokenIssuer } from "../../../src/adapters/crypto/hs256-token-issuer.ts";
import { InMemoryUnitOfWork } from "../../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { ManualClock } from "../../../src/adapters/in-memory/manual-clock.ts";
import { SequentialIdGenerator } from "../../../src/adapters/in-memory/sequential-id-generator.ts";
import { SignIn } from "../../../src/application/accounts/sign-in.ts";
import { SignUp } from "../../../src/application/accounts/sign-up.ts";
import type { PasswordHasher } from "../../../src/application/ports/password-hasher.ts";
import type { PasswordStrength } from "../../../src/application/ports/password-strength.ts";
import type { Busy } from "../../../src/application/shared/application-errors.ts";
import type { Password } from "../../../src/domain/password.ts";
import { ok, type Result } from "../../../src/domain/result.ts";
import { aPaymentConfig } from "../../support/builders.ts";

/** A hasher that records what it was asked, so a test can see the dummy check happen. */
class RecordingHasher implements PasswordHasher {
  readonly verified: (string | null)[] = [];
  async hash(password: Password): Promise<Result<string, Busy>> {
    return ok(`hashed:${password.reveal()}`);
  }
  async verify(hash: string | null, password: Password): Promise<Result<boolean, Busy>> {
    this.verified.push(hash);
    return ok(hash === `hashed:${password.reveal()}`);
  }
}

/** Every password is fine: these tests are about signing in, not about password rules. */
const anyPassword: PasswordStrength = { isCommon: async () => ok(false) };

const setup = () => {
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
    passwordStrength: anyPassword,
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
      email: "owner@example.com",
      password: "password-1",
      name: "Owner",
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
  it("hashes nothing and stores nothing when a field is wrong", async () => {
    const { hasher, signUp, uow } = setup();
    const result = await signUp.execute({ email: "not-an-email", password: "password-1", name: "X" });
    expect(result.ok).toBe(false);
    expect(hasher.verified).toEqual([]);
    expect(uow.tables.users.size).toBe(0);
  });
});
