import type {
  CallbackAuditRepository,
  CallbackDisposition,
  CallbackRecord,
} from "../../application/ports/callback-audit-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

export class InMemoryCallbackAuditRepository implements CallbackAuditRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async record(entry: CallbackRecord): Promise<void> {
    insertRow(this.tables.callbacks, { ...entry }, "mpesa_callbacks");
  }

  async updateDisposition(
    id: string,
    disposition: CallbackDisposition,
    paymentRef: string | null,
  ): Promise<void> {
    const row = this.tables.callbacks.get(id);
    if (row !== undefined) {
      this.tables.callbacks.set(id, { ...row, disposition, paymentRef: paymentRef ?? row.paymentRef });
    }
  }

  async findById(id: string): Promise<CallbackRecord | null> {
    return this.tables.callbacks.get(id) ?? null;
  }

  async purgeReceivedBefore(cutoff: Date, limit: number): Promise<number> {
    const expired = [...this.tables.callbacks.values()]
      .filter((row) => row.receivedAt.getTime() < cutoff.getTime())
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
      .slice(0, limit);
    for (const row of expired) {
      this.tables.callbacks.delete(row.id);
    }
    return expired.length;
  }

  async listByPayment(paymentRef: string): Promise<CallbackRecord[]> {
    return [...this.tables.callbacks.values()]
      .filter((row) => row.paymentRef === paymentRef)
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
  }
}
