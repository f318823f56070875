import type { Payout } from "../../domain/payout.ts";

/** Payouts. OriginatorConversationIDs and callback token hashes are unique. */
export interface PayoutRepository {
  add(payout: Payout): Promise<void>;
  update(payout: Payout): Promise<void>;
  findById(id: string, options?: { lock?: boolean }): Promise<Payout | null>;
  findByCallbackTokenHash(hash: string, options?: { lock?: boolean }): Promise<Payout | null>;
  findByOriginatorConversationId(id: string, options?: { lock?: boolean }): Promise<Payout | null>;
}
