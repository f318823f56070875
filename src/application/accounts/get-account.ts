import type { Business } from "../../domain/business.ts";
import type { User } from "../../domain/user.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { isSetupNeeded } from "./setup-status.ts";

export type Account = {
  readonly user: User;
  readonly businesses: readonly Business[];
  readonly setupNeeded: boolean;
};

/** The signed-in user, their businesses (newest first) and whether a payment method still has to be set up. */
export class GetAccount {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "paymentConfigs"> }) {}

  execute(user: User): Promise<Account> {
    return this.deps.uow.run(async (r) => {
      const businesses = await r.businesses.listByOwner(user.id);
      return { user, businesses, setupNeeded: await isSetupNeeded(r, businesses) };
    });
  }
}
