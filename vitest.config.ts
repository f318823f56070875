import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine. Most test files
    // spend their time waiting (on PostgreSQL, the simulator's callbacks, servers starting), so two run side by side.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
