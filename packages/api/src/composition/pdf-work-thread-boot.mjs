// A worker thread starts without its parent's TypeScript loader: register tsx (the source tree runs
// as TypeScript), then load the thread's module (pdf-work-pool.ts names it in workerData).
import { parentPort, workerData } from 'node:worker_threads';

const { module } = workerData;
if (module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(module);
// Loaded: the pool starts its jobs' clocks from here.
parentPort?.postMessage({ ready: true });
