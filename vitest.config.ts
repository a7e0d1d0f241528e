import { defineConfig } from "vitest/config";

// One project per test tier (ARCHITECTURE section 7); `npm run test:<tier>` runs one of them.
export default defineConfig({
  test: {
    projects: [
      // The stack tests' beforeAll runs a whole program under mocks: ~10 s alone, more on a busy machine.
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000, hookTimeout: 60_000 } },
      {
        test: {
          name: "scripts",
          include: ["test/scripts/**/*.test.ts"],
          globalSetup: ["test/setup/sim-boards.global.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      { test: { name: "benchmarks", include: ["test/benchmarks/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: "runner", include: ["test/runner/**/*.test.ts"], testTimeout: 180_000, hookTimeout: 300_000 } },
      // Real upstream networks on a 2-core CPU: minutes, so one file at a time.
      { test: { name: "models", include: ["test/models/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 300_000, fileParallelism: false } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/setup/sim-boards.global.ts"],
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
          // The rehearsal and the cluster test run on boards of their own, side by side (with
          // --maxWorkers 2, which `npm run e2e` and `npm test` pass: vitest's default is one worker
          // per core but one): each waits on its boards and the engine more than it computes.
          fileParallelism: true,
        },
      },
    ],
  },
});
