import type { C2bPayment } from "../../domain/c2b-payment.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";

/** One C2B payment of one of the user's businesses; anyone else's is `not_found`. */
export class GetC2bPayment {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "c2bPayments"> }) {}

  execute(input: {
    readonly userId: string;
    readonly paymentId: string;
  }): Promise<Result<C2bPayment, NotFound>> {
    return this.deps.uow.read(async (r) => {
      const payment = await r.c2bPayments.findById(input.paymentId);
      const owned = payment === null ? null : await r.businesses.findOwned(payment.businessId, input.userId);
      return payment === null || owned === null ? err(notFound("C2B payment")) : ok(payment);
    });
  }
}
