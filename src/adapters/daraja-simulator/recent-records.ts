/**
 * The last `keep` records of something that happens without end (callbacks sent, requests received), oldest
 * first, and how many there have been in all. A simulator left running for weeks keeps this window, not
 * everything it ever saw.
 */
export class RecentRecords<T> {
  private records: T[] = [];
  private added = 0;

  constructor(private readonly keep: number) {
    if (!Number.isInteger(keep) || keep < 1) {
      throw new RangeError(`RecentRecords keeps a whole number of records, at least 1 (got ${keep})`);
    }
  }

  add(record: T): void {
    this.records.push(record);
    this.added += 1;
    if (this.records.length > this.keep) {
      this.records.splice(0, this.records.length - this.keep);
    }
  }

  /** The records kept, oldest first: a copy. */
  list(): T[] {
    return [...this.records];
  }

  /** How many were ever added since the last clear, the forgotten ones included. */
  get total(): number {
    return this.added;
  }

  clear(): void {
    this.records = [];
    this.added = 0;
  }
}
