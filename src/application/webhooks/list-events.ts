import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { OutboxEvent, OutboxEventType } from "../ports/outbox-repository.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** A business's events, newest first, of one type when asked. */
export class ListEvents {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "outbox"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly type?: OutboxEventType;
    readonly page: PageRequest;
  }): Promise<Result<Page<OutboxEvent>, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const filter = input.type === undefined ? {} : { type: input.type };
      return ok(await r.outbox.pageForBusiness(business.value.id, filter, input.page));
    });
  }
}
