import type { InMemoryUnitOfWork } from "../src/adapters/in-memory/in-memory-unit-of-work.ts";
import type { Repositories, UnitOfWork } from "../src/application/ports/unit-of-work.ts";

/** The crash a FaultyUnitOfWork injects: the process died before the transaction committed. */
export class SimulatedCrash extends Error {
  constructor(commit: number) {
    super(`simulated crash before commit #${commit} of the step`);
    this.name = "SimulatedCrash";
  }
}

/**
 * A unit of work over InMemoryUnitOfWork that can crash: armed with `crashAt(n)`, it throws SimulatedCrash just
 * before the n-th commit from then on, after the work has run, so the in-memory tables are restored as a database
 * rolls back a transaction whose connection died. It can also hand the use cases other repositories than the real
 * ones (`wrap`): a deliberately broken adapter, to show that the simulation's checks catch it.
 */
export class FaultyUnitOfWork implements UnitOfWork {
  private commits = 0;
  private crashAtCommit: number | null = null;

  constructor(
    private readonly inner: InMemoryUnitOfWork,
    private readonly wrap: (r: Repositories) => Repositories = (r) => r,
  ) {}

  /** Crashes before the n-th commit from now (1 is the next one); null disarms. */
  crashAt(n: number | null): void {
    this.commits = 0;
    this.crashAtCommit = n;
  }

  run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.inner.run(async (r) => {
      const result = await work(this.wrap(r));
      this.commits += 1;
      if (this.crashAtCommit !== null && this.commits === this.crashAtCommit) {
        this.crashAtCommit = null;
        throw new SimulatedCrash(this.commits);
      }
      return result;
    });
  }

  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.inner.read((r) => work(this.wrap(r)));
  }

  /** A statement outside a transaction commits too: it may crash before its commit like a transaction. */
  autocommit<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.run(work);
  }
}
