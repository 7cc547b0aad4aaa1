import { defineConfig } from 'vitest/config';

/**
 * Two tiers: `npm test` (fast, CI) and `npm run soak` (`--mode soak`: full property counts).
 * Tests read the tier with `inject('tier')` (see test/tier.ts), never from the environment.
 * Two projects: `unit` (the loopback stack of test/global-setup.ts) and `e2e` (browser journeys against the
 * real local server and one shared Chromium, test/e2e/global-setup.ts; files one at a time: they share the
 * demo organization). `npm run test:e2e` runs the second alone.
 */
export default defineConfig(({ mode }) => {
  // Each project names the tier itself: `extends: true` re-reads this file with mode 'test', so a tier set only at
  // the root reached every test as 'fast' even under `--mode soak` (the soak tier never ran its full counts).
  const soak = mode === 'soak';
  // Ceilings, never the thing under test: at load 16-19 (six sessions on 2 cores) fuzz and throttle files
  // passed 30 s; a test that hangs still fails, two minutes later (ten in soak, which runs full counts).
  const tier = {
    provide: { tier: soak ? ('soak' as const) : ('fast' as const) },
    testTimeout: soak ? 600_000 : 120_000,
  };
  return {
    test: {
      pool: 'forks',
      // Most files wait on DynamoDB Local, KMS, S3, Chromium or a child process rather than compute; vitest's default
      // (cores - 1) ran one file at a time on a 2-core machine.
      maxWorkers: 3,
      hookTimeout: 120_000,
      reporters: ['default'],
      // The SDK's Node 20 end-of-support notice would print once per worker; it is known and pinned by the lockfile.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            ...tier,
            // Files share a worker's loaded modules: importing the core, the SDK clients and the app once per worker
            // instead of once per file took the summed import time from 595 s to 125 s. Tests restore what they mock.
            isolate: false,
            include: [
              'packages/*/src/**/*.test.ts',
              'functions/**/*.test.ts',
              'stacks/**/*.test.ts',
              'test/**/*.test.ts',
            ],
            exclude: ['test/e2e/**', '**/node_modules/**'],
            globalSetup: ['test/global-setup.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            ...tier,
            include: ['test/e2e/**/*.test.ts'],
            globalSetup: ['test/e2e/global-setup.ts'],
            fileParallelism: false,
            // expect.poll waits on the page; its 1 s default is wall-clock a loaded 2-core machine misses.
            expect: { poll: { timeout: 30_000 } },
            testTimeout: 120_000,
            hookTimeout: 300_000,
          },
        },
      ],
    },
  };
});
