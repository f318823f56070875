import type { Email } from "./email.ts";
import type { InvalidInput } from "./invalid-value.ts";
import type { Msisdn } from "./msisdn.ts";
import type { Result } from "./result.ts";
import { requiredText } from "./text.ts";

export type UserState = {
  readonly id: string;
  readonly email: Email;
  readonly name: string;
  readonly phone: Msisdn | null;
  readonly passwordHash: string;
  readonly createdAt: Date;
  /** Tokens issued before this instant are refused (a password change); null while none has been. */
  readonly tokensValidAfter: Date | null;
};

/** A person who signs in to PayMe. Owns one or more businesses and one token wallet. */
export class User {
  static readonly NAME_MAX = 100;

  private constructor(private readonly state: UserState) {}

  /** A person's name as they give it: required, at most NAME_MAX characters. */
  static parseName(input: unknown, path = "name"): Result<string, InvalidInput> {
    return requiredText(input, path, User.NAME_MAX);
  }

  /** A new user, from values already parsed at the edge (see `parseName`, `Email.parse`, `Msisdn.parse`). */
  static create(input: {
    readonly id: string;
    readonly email: Email;
    readonly name: string;
    readonly phone: Msisdn | null;
    readonly passwordHash: string;
    readonly createdAt: Date;
  }): User {
    return new User({ ...input, tokensValidAfter: null });
  }

  static restore(state: UserState): User {
    return new User(state);
  }

  get id(): string {
    return this.state.id;
  }
  get email(): Email {
    return this.state.email;
  }
  get name(): string {
    return this.state.name;
  }
  get phone(): Msisdn | null {
    return this.state.phone;
  }
  get passwordHash(): string {
    return this.state.passwordHash;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get tokensValidAfter(): Date | null {
    return this.state.tokensValidAfter;
  }

  /** True when a token issued at `issuedAt` was issued before the user's last password change. */
  refusesTokenIssuedAt(issuedAt: Date): boolean {
    return this.state.tokensValidAfter !== null && issuedAt.getTime() < this.state.tokensValidAfter.getTime();
  }

  /** The user with a new password hash; every token issued before `tokensValidAfter` stops working. */
  withNewPassword(passwordHash: string, tokensValidAfter: Date): User {
    return new User({ ...this.state, passwordHash, tokensValidAfter });
  }

  /** A copy of the state, for repositories. */
  snapshot(): UserState {
    return { ...this.state };
  }
}
