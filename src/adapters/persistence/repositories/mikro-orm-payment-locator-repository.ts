import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  LocatedRecord,
  LocatorChannel,
  PaymentLocatorRepository,
} from "../../../application/ports/payment-locator-repository.ts";

export class MikroOrmPaymentLocatorRepository implements PaymentLocatorRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async find(channel: LocatorChannel, key: string): Promise<LocatedRecord | null> {
    // Hand-written like the other statements on the settlement path: one primary-key read.
    const [row] = await this.em.execute<{ kind: string; payment_id: string }[]>(
      `select "kind", "payment_id" from "payment_locators" where "channel" = ? and "key" = ?`,
      [channel, key],
    );
    return row === undefined ? null : { kind: row.kind, paymentId: row.payment_id };
  }
}
