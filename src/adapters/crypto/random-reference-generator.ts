import { randomBytes } from "node:crypto";
import type { ReferenceGenerator } from "../../application/ports/reference-generator.ts";
import { SaleReference } from "../../domain/sale-reference.ts";

/** References from the system's cryptographic random source. */
export class RandomReferenceGenerator implements ReferenceGenerator {
  next(): SaleReference {
    return SaleReference.fromRandomBytes(randomBytes(SaleReference.LENGTH));
  }
}
