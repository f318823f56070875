import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  PayoutEvent,
  PayoutEventRepository,
} from "../../../application/ports/payout-event-repository.ts";
import { PayoutEventSchema, payoutEventToDomain, payoutEventToRow } from "../rows/payout-event-row.ts";
import { READ, writing } from "./mikro-orm-support.ts";

export class MikroOrmPayoutEventRepository implements PayoutEventRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async append(event: PayoutEvent): Promise<void> {
    await writing(() => this.em.insert(PayoutEventSchema, payoutEventToRow(event)));
  }

  async listByPayout(payoutId: string): Promise<PayoutEvent[]> {
    const rows = await this.em.find(
      PayoutEventSchema,
      { payoutId },
      { ...READ, orderBy: { at: "asc", id: "asc" } },
    );
    return rows.map(payoutEventToDomain);
  }
}
