import { Business } from "../domain/business.ts";
import type { InvalidInput } from "../domain/invalid-value.ts";
import type { Result } from "../domain/result.ts";
import type { Clock } from "./ports/clock.ts";
import type { IdGenerator } from "./ports/id-generator.ts";
import type { UnitOfWork } from "./ports/unit-of-work.ts";

export type CreateBusinessInput = { readonly ownerId: string; readonly name: unknown };

/** A signed-in user opens another business. */
export class CreateBusiness {
  constructor(
    private readonly deps: { readonly uow: UnitOfWork; readonly ids: IdGenerator; readonly clock: Clock },
  ) {}

  async execute(input: CreateBusinessInput): Promise<Result<Business, InvalidInput>> {
    const business = Business.create({
      id: this.deps.ids.next(),
      ownerId: input.ownerId,
      name: input.name,
      createdAt: this.deps.clock.now(),
    });
    if (business.ok) {
      await this.deps.uow.run((repositories) => repositories.businesses.add(business.value));
    }
    return business;
  }
}
