import type { IdGenerator } from "../../application/ports/id-generator.ts";

/**
 * Predictable ids in UUIDv7 layout that still sort in creation order: for tests and demos.
 * The first is 00000000-0000-7000-8000-000000000001.
 */
export class SequentialIdGenerator implements IdGenerator {
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `00000000-0000-7000-8000-${this.counter.toString(16).padStart(12, "0")}`;
  }
}
