// Worker entry: workers do not inherit the parent's tsx hooks on Node 20, so register them here and
// load the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./range-pass-worker.ts');
