/** New identifiers: UUIDv7 strings, which sort by creation time. */
export interface IdGenerator {
  next(): string;
}
