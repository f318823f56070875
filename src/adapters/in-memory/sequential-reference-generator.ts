import type { ReferenceGenerator } from "../../application/ports/reference-generator.ts";
import { SaleReference } from "../../domain/sale-reference.ts";

/**
 * Predictable references (`222223`, `222224`, …), for tests and the simulation, which replay the same run from
 * the same seed. `repeat` hands out the same reference that many times before moving on, to test collisions.
 */
export class SequentialReferenceGenerator implements ReferenceGenerator {
  private counter = 0;
  private handed = 0;

  constructor(private readonly repeat = 1) {}

  next(): SaleReference {
    if (this.handed >= this.repeat) {
      this.handed = 0;
    }
    if (this.handed === 0) {
      this.counter += 1;
    }
    this.handed += 1;
    const bytes = new Uint8Array(SaleReference.LENGTH);
    let n = this.counter;
    for (let i = SaleReference.LENGTH - 1; i >= 0; i -= 1) {
      bytes[i] = n & 31;
      n >>>= 5;
    }
    return SaleReference.fromRandomBytes(bytes);
  }
}
