import type { C2bPayment } from "../../domain/c2b-payment.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** One C2B payment of a business the caller belongs to; anyone else's is `not_found`. */
export class GetC2bPayment {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"c2bPayments"> }) {}

  execute(input: {
    readonly access: Access;
    readonly paymentId: string;
  }): Promise<Result<C2bPayment, NotFound | Forbidden>> {
    return this.deps.uow.read(async (r) => {
      const payment = await r.c2bPayments.findById(input.paymentId);
      if (payment === null) {
        return err(notFound("C2B payment"));
      }
      const allowed = authorizeResource(input.access, payment.businessId, "C2B payment");
      return allowed.ok ? ok(payment) : allowed;
    });
  }
}
