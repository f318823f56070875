import type { QueryResult } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  CallbackAuditRepository,
  CallbackDisposition,
  CallbackRecord,
} from "../../../application/ports/callback-audit-repository.ts";
import {
  CallbackRecordSchema,
  callbackRecordToDomain,
  callbackRecordToRow,
} from "../rows/callback-record-row.ts";
import { READ } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmCallbackAuditRepository implements CallbackAuditRepository {
  constructor(
    private readonly em: SqlEntityManager,
    /** A group commit's batch, which inserts the rows of all its settlements in one statement. */
    private readonly batch?: SettlementBatch,
  ) {}

  async record(entry: CallbackRecord): Promise<void> {
    if (this.batch !== undefined) {
      this.batch.insert(CallbackRecordSchema as never, callbackRecordToRow(entry) as never);
      return;
    }
    await insertRow(this.em, CallbackRecordSchema, callbackRecordToRow(entry));
  }

  async updateDisposition(
    id: string,
    disposition: CallbackDisposition,
    paymentRef: string | null,
  ): Promise<void> {
    await this.em.nativeUpdate(
      CallbackRecordSchema,
      { id },
      paymentRef === null ? { disposition } : { disposition, paymentRef },
    );
  }

  async findById(id: string): Promise<CallbackRecord | null> {
    const row = await this.em.findOne(CallbackRecordSchema, { id }, READ);
    return row === null ? null : callbackRecordToDomain(row);
  }

  async purgeReceivedBefore(cutoff: Date, limit: number): Promise<number> {
    // By received_at's index, oldest first; SKIP LOCKED lets instances purging at once share the work.
    const result = await this.em.execute<QueryResult>(
      `delete from "mpesa_callbacks" where "id" in (select "id" from "mpesa_callbacks" where "received_at" < ? order by "received_at" limit ? for update skip locked)`,
      [cutoff, limit],
      "run",
    );
    return result.affectedRows;
  }

  async listByPayment(paymentRef: string): Promise<CallbackRecord[]> {
    const rows = await this.em.find(
      CallbackRecordSchema,
      { paymentRef },
      { ...READ, orderBy: { receivedAt: "asc", id: "asc" } },
    );
    return rows.map(callbackRecordToDomain);
  }
}
