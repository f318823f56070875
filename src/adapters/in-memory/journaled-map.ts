/**
 * The undo log of the in-memory tables: while a transaction is open, every write to a journaled map records how to
 * take it back, so that a rollback costs what the transaction wrote, not the size of the tables.
 */
export class UndoLog {
  private steps: (() => void)[] | null = null;

  /** Starts recording; transactions run one at a time, so there is at most one open log. */
  begin(): void {
    this.steps = [];
  }

  /** Keeps what was written and stops recording. */
  commit(): void {
    this.steps = null;
  }

  /** Takes back every write since `begin`, newest first, and stops recording. */
  rollback(): void {
    const steps = this.steps ?? [];
    this.steps = null;
    for (let i = steps.length - 1; i >= 0; i -= 1) {
      steps[i]?.();
    }
  }

  record(undo: () => void): void {
    this.steps?.push(undo);
  }
}

/**
 * A Map whose writes are recorded in an undo log. A row taken back by a rollback returns to its key; a deleted row
 * that comes back is appended (a Map cannot reinsert in place), as a database keeps no order without ORDER BY.
 */
export class JournaledMap<K, V> extends Map<K, V> {
  private log: UndoLog | null = null;

  static in<K, V>(log: UndoLog): JournaledMap<K, V> {
    const map = new JournaledMap<K, V>();
    map.log = log;
    return map;
  }

  override set(key: K, value: V): this {
    this.remember(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.remember(key);
    return super.delete(key);
  }

  override clear(): void {
    for (const key of this.keys()) {
      this.remember(key);
    }
    super.clear();
  }

  private remember(key: K): void {
    if (this.log === null) {
      return;
    }
    if (super.has(key)) {
      const previous = super.get(key) as V;
      this.log.record(() => {
        super.set(key, previous);
      });
    } else {
      this.log.record(() => {
        super.delete(key);
      });
    }
  }
}
