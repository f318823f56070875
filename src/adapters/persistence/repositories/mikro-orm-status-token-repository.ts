import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  StatusTokenOwner,
  StatusTokenRepository,
} from "../../../application/ports/status-token-repository.ts";
import { type LookupQueryRow, LookupQuerySchema, lookupQueryToDomain } from "../rows/lookup-query-row.ts";
import { type PayoutRow, PayoutSchema, payoutToDomain } from "../rows/payout-row.ts";
import { selectFirstRow } from "./row-sql.ts";

export class MikroOrmStatusTokenRepository implements StatusTokenRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async findOwner(hash: string, options: { readonly lock: boolean }): Promise<StatusTokenOwner | null> {
    // One statement: the payouts' index, then the look-ups' only when no payout has the hash.
    const found = await selectFirstRow(
      this.em,
      [
        { schema: PayoutSchema, property: "statusTokenHash", value: hash },
        { schema: LookupQuerySchema, property: "tokenHash", value: hash },
      ],
      options,
    );
    if (found === null) {
      return null;
    }
    return found.index === 0
      ? { kind: "payout", payout: payoutToDomain(found.row as PayoutRow) }
      : { kind: "lookup", query: lookupQueryToDomain(found.row as LookupQueryRow) };
  }
}
