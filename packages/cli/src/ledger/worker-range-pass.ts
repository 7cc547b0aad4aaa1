import { Worker } from 'node:worker_threads';
import type { RangePass, RangeResult } from '@evidence-portal/core';

/**
 * A `RangePass` on a worker thread: the second half of an export file is verified on a second core.
 * The worker starts at once, so its start-up overlaps the first thread reading the header.
 */
export function workerRangePass(file: string): RangePass {
  const worker = new Worker(new URL('./range-pass-worker.mjs', import.meta.url), { workerData: { file } });
  const result = new Promise<RangeResult>((resolve, reject) => {
    worker.once('message', (message: RangeResult) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`range verification worker exited with ${code}`)));
  });
  // Nobody may ask (a small file is verified on one thread): an unobserved rejection is not an error.
  result.catch(() => undefined);
  return {
    run(request) {
      worker.postMessage(request);
      return result;
    },
    abort() {
      void worker.terminate();
    },
  };
}
