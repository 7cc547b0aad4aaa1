import { inject } from 'vitest';
import type { LocalStackInfo } from '../../packages/local-stack/src/local-stack-info.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tier: 'fast' | 'soak';
    localStack: LocalStackInfo;
  }
}

/** The running loopback stack started by test/global-setup.ts. */
export function localStack(): LocalStackInfo {
  return inject('localStack');
}

/** Fast tier (npm test) or full counts (npm run soak). */
export function tier(): 'fast' | 'soak' {
  return inject('tier');
}

/** Pick a count by tier: small in CI, full in soak. */
export function byTier(fast: number, soak: number): number {
  return tier() === 'soak' ? soak : fast;
}
