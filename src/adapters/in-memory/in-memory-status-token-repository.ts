import type { LookupQueryRepository } from "../../application/ports/lookup-query-repository.ts";
import type { PayoutRepository } from "../../application/ports/payout-repository.ts";
import type {
  StatusTokenOwner,
  StatusTokenRepository,
} from "../../application/ports/status-token-repository.ts";

export class InMemoryStatusTokenRepository implements StatusTokenRepository {
  constructor(
    private readonly payouts: PayoutRepository,
    private readonly lookups: LookupQueryRepository,
  ) {}

  async findOwner(hash: string, options: { readonly lock: boolean }): Promise<StatusTokenOwner | null> {
    const payout = await this.payouts.findByStatusTokenHash(hash, options);
    if (payout !== null) {
      return { kind: "payout", payout };
    }
    const query = await this.lookups.findByTokenHash(hash, options);
    return query === null ? null : { kind: "lookup", query };
  }
}
