import { configDefaults, defineConfig } from "vitest/config";

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

const shared = {
  pool: "forks",
  testTimeout: 30_000,
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    // Once per run, for both projects: the template database every test file clones (tests/support).
    globalSetup: ["tests/support/global-setup.ts"],
    reporters: ["default"],
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
