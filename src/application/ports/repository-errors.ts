/**
 * A write broke a uniqueness rule that the code should already have prevented (a second ledger credit for
 * one purchase, a receipt recorded twice). Thrown by repositories; the transaction is rolled back.
 */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`);
    this.name = "UniqueViolation";
  }
}

/** An update found no row to change: the record was never added. A bug, not an expected outcome. */
export class RecordNotFound extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
    this.name = "RecordNotFound";
  }
}
