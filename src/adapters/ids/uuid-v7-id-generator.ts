import { v7 } from "uuid";
import type { IdGenerator } from "../../application/ports/id-generator.ts";

/** UUIDv7 ids: random, and sortable by creation time (pagination relies on it). */
export class UuidV7IdGenerator implements IdGenerator {
  next(): string {
    return v7();
  }
}
