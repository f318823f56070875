import type { Refund } from "../../domain/refund.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** One refund of a business the caller may read sales of; anyone else's is `not_found`. */
export class GetRefund {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"refunds"> }) {}

  async execute(input: {
    readonly access: Access;
    readonly refundId: string;
  }): Promise<Result<Refund, NotFound | Forbidden>> {
    const refund = await this.deps.uow.read((r) => r.refunds.findById(input.refundId));
    if (refund === null) {
      return err(notFound("refund"));
    }
    const allowed = authorizeResource(input.access, refund.businessId, "refund");
    return allowed.ok ? ok(refund) : allowed;
  }
}
