import type { InvalidInput } from "./invalid-value.ts";
import type { Result } from "./result.ts";
import { requiredText } from "./text.ts";

export type BusinessState = {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
  readonly createdAt: Date;
};

/** A shop or organisation that takes payments through its own Till or Paybill. Owned by one user. */
export class Business {
  static readonly NAME_MAX = 100;

  private constructor(private readonly state: BusinessState) {}

  /** A business's name: required, at most NAME_MAX characters. */
  static parseName(input: unknown, path = "name"): Result<string, InvalidInput> {
    return requiredText(input, path, Business.NAME_MAX);
  }

  /** A new business, named by a name already parsed at the edge (`parseName`). */
  static create(input: {
    readonly id: string;
    readonly ownerId: string;
    readonly name: string;
    readonly createdAt: Date;
  }): Business {
    return new Business({
      id: input.id,
      ownerId: input.ownerId,
      name: input.name,
      createdAt: input.createdAt,
    });
  }

  static restore(state: BusinessState): Business {
    return new Business(state);
  }

  isOwnedBy(userId: string): boolean {
    return this.state.ownerId === userId;
  }

  get id(): string {
    return this.state.id;
  }
  get ownerId(): string {
    return this.state.ownerId;
  }
  get name(): string {
    return this.state.name;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  /** A copy of the state, for repositories. */
  snapshot(): BusinessState {
    return { ...this.state };
  }
}
