import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { PasswordStrength } from "../../application/ports/password-strength.ts";
import type { Busy } from "../../application/shared/application-errors.ts";
import type { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";

/** A password an attacker reaches within this many guesses is "among the most common" (zxcvbn's score 0 or 1). */
export const COMMON_WITHIN_GUESSES = 1_000_000;

/**
 * What the estimate weighs. zxcvbn's cost grows steeply with the length and with the characters that have
 * look-alikes (measured here: 100 characters of `@4!1|0$3` took some 900 ms, 32 with four substitutions at most
 * some 20 ms on average); a password whose first 32 characters are not common is not common.
 */
const ESTIMATE_OPTIONS = { maxLength: 32, l33tMaxSubstitutions: 4 };

/** Checks allowed to wait for the estimator (AUTH_HASH_QUEUE_MAX, as for password hashes). */
const DEFAULT_QUEUE_MAX = 64;

const BUSY: Busy = { type: "busy", retryAfterSeconds: 2 };

/**
 * The estimator, in a worker thread: its dictionaries take some 250 ms to load, and a check of a hostile
 * password still takes tens of milliseconds, which must not hold up the event loop. Plain CommonJS, so the
 * worker starts the same under tsx, vitest and a build; the packages are resolved here and handed over by path.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const english = require(workerData.english);
const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
  ...workerData.options,
});
parentPort.on("message", ({ id, password, userInputs }) => {
  try {
    parentPort.postMessage({ id, guesses: estimator.check(password, userInputs).guesses });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

type Answer = { readonly id: number; readonly guesses?: number; readonly error?: string };
type Pending = { readonly resolve: (guesses: number) => void; readonly reject: (error: Error) => void };

/**
 * How long an idle estimator stays up. Its dictionaries hold some 30 MB in a heap of its own, and the thread
 * (an isolate with its own young generation, sized by the process's `--max-semi-space-size`) adds tens of MB
 * more: passwords are chosen at sign-up and on a change, so the worker is stopped when none has been weighed for
 * this long, and the next check starts it again (its dictionaries load in some 250 ms).
 */
export const ESTIMATOR_IDLE_MS = 30_000;

/**
 * The worker's heap bound: its dictionaries and a hostile password's work fit well within it. The young generation's
 * bound only applies when the process sets no `--max-semi-space-size` (V8's flag wins over a worker's limits).
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

/** One worker per process, shared by every adapter (tests build many containers), started on first use. */
export class EstimatorThread {
  private worker: Worker | null = null;
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  readonly pending = new Map<number, Pending>();

  constructor(private readonly idleMs: number = ESTIMATOR_IDLE_MS) {}

  /** Whether the worker is up (it stops after `idleMs` without a check). */
  get running(): boolean {
    return this.worker !== null;
  }

  guesses(password: string, userInputs: readonly string[]): Promise<number> {
    const worker = this.started();
    this.cancelIdleStop();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) {
        // A check under way keeps the process alive until it is answered.
        worker.ref();
      }
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, userInputs: [...userInputs] });
    });
  }

  private cancelIdleStop(): void {
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  /** Stops the worker once it has been idle for `idleMs`; nothing waits on it then. */
  private stopWhenIdle(worker: Worker): void {
    this.cancelIdleStop();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker !== worker || this.pending.size > 0) {
        return;
      }
      this.worker = null;
      // Its exit is not a failure: nothing waits on it, and the next check starts another.
      worker.removeAllListeners();
      void worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private started(): Worker {
    if (this.worker !== null) {
      return this.worker;
    }
    const resolveModule = createRequire(import.meta.url).resolve;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      resourceLimits: WORKER_LIMITS,
      workerData: {
        core: resolveModule("@zxcvbn-ts/core"),
        common: resolveModule("@zxcvbn-ts/language-common"),
        english: resolveModule("@zxcvbn-ts/language-en"),
        options: ESTIMATE_OPTIONS,
      },
    });
    worker.on("message", (answer: Answer) => {
      const waiting = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) {
        worker.unref();
        this.stopWhenIdle(worker);
      }
      if (answer.guesses !== undefined) {
        waiting?.resolve(answer.guesses);
      } else {
        waiting?.reject(new Error(`the password estimator failed: ${answer.error ?? "no answer"}`));
      }
    });
    const fail = (error: Error) => {
      // The next check starts a new worker; the ones waiting on this one fail (a bug, not an answer).
      if (this.worker === worker) {
        this.worker = null;
      }
      for (const waiting of this.pending.values()) {
        waiting.reject(error);
      }
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the password estimator stopped (exit code ${code})`)));
    // An idle estimator does not keep the process alive. Only now: listening for messages refs the worker again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

const sharedThread = new EstimatorThread();

/**
 * zxcvbn-ts with its common (leaked passwords, keyboard layouts) and English (words, names, Wikipedia) lists: a
 * password it guesses within a million tries, counting the owner's own details, is common. At most `queueMax`
 * checks wait for the estimator; past that the answer is `busy`.
 */
export class ZxcvbnPasswordStrength implements PasswordStrength {
  constructor(
    private readonly queueMax: number = DEFAULT_QUEUE_MAX,
    private readonly thread: EstimatorThread = sharedThread,
  ) {}

  async isCommon(password: Password, userInputs: readonly string[]): Promise<Result<boolean, Busy>> {
    if (this.thread.pending.size > this.queueMax) {
      return err(BUSY);
    }
    return ok((await this.thread.guesses(password.reveal(), userInputs)) < COMMON_WITHIN_GUESSES);
  }
}
