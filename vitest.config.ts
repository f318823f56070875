import { relative } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that must have the machine to themselves: they drive Chromium, run a cluster of server processes behind
 * HAProxy, or otherwise need the CPU when they need it. Beside another busy file on a 2-core machine, Chromium
 * once lost its connection to playwright ("Connection ended"). They run one at a time, after everything else.
 */
const ALONE = [
  "tests/browser/**/*.test.ts",
  "tests/drills/cluster.test.ts",
  // A request in flight must finish within the server's shutdown grace period: a timing, so it runs alone.
  "tests/e2e/graceful-shutdown.test.ts",
];

/**
 * The rest run two files at a time (Vitest's default on a 2-core machine is one): most of them wait on
 * PostgreSQL, the simulator's callbacks or a server starting, so the second worker fills the first one's waits.
 * Every file has its own database (a clone of the run's template), its own ports and its own temporary directories.
 */
const SIDE_BY_SIDE_WORKERS = 2;

/**
 * The drills and end-to-end files start server processes and take tens of seconds each; their files are short, so
 * Vitest (which, without timings from an earlier run, starts the largest files first) would leave them to the end,
 * one worker busy with them while the other has nothing left. They start first instead.
 */
const LONG = ["tests/drills/", "tests/e2e/"];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (file: TestSpecification) =>
      LONG.some((prefix) => relative(file.project.config.root, file.moduleId).startsWith(prefix));
    return [...sorted.filter(long), ...sorted.filter((file) => !long(file))];
  }
}

const shared = {
  pool: "forks",
  // Long enough for a test that opens an embedded PGlite, or starts a server, beside another file on a busy
  // 2-core machine; not a speed target.
  testTimeout: 60_000,
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    // Once per run, for both projects: the template database every test file clones (tests/support).
    globalSetup: ["tests/support/global-setup.ts"],
    reporters: ["default"],
    // Vitest orders the files of every group with the root's sequencer.
    sequence: { sequencer: LongFirst },
    projects: [
      {
        test: {
          ...shared,
          name: "side-by-side",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: SIDE_BY_SIDE_WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: "alone",
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
