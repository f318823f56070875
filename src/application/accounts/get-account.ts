import type { User } from "../../domain/user.ts";
import type { BusinessMembership } from "../ports/member-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { isSetupNeeded } from "./setup-status.ts";

export type Account = {
  readonly user: User;
  /** Every business the user belongs to, newest first, with their role in it. */
  readonly businesses: readonly BusinessMembership[];
  /** Counts only the businesses the user owns. */
  readonly setupNeeded: boolean;
};

/** The signed-in user, their businesses (newest first) and whether a payment method still has to be set up. */
export class GetAccount {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"members" | "paymentConfigs"> }) {}

  execute(user: User): Promise<Account> {
    return this.deps.uow.run(async (r) => {
      const businesses = await r.members.listForUser(user.id);
      return { user, businesses, setupNeeded: await isSetupNeeded(r, businesses) };
    });
  }
}
