import { defineConfig } from 'vitest/config';

/**
 * Two tiers: `npm test` (fast, CI) and `npm run soak` (`--mode soak`: full property counts).
 * Tests read the tier with `inject('tier')` (see test/tier.ts), never from the environment.
 */
export default defineConfig(({ mode }) => ({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'functions/**/*.test.ts', 'stacks/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    provide: { tier: mode === 'soak' ? 'soak' : 'fast' },
    pool: 'forks',
    testTimeout: mode === 'soak' ? 600_000 : 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The SDK's Node 20 end-of-support notice would print once per worker; it is known and pinned by the lockfile.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
}));
