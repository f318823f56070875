import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { ApiKeyRecord } from "../ports/api-key-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** The business's unrevoked API keys, newest first (never their secrets). */
export class ListApiKeys {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "apiKeys"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
  }): Promise<Result<ApiKeyRecord[], NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      return business.ok ? ok(await r.apiKeys.listForBusiness(business.value.id)) : business;
    });
  }
}
