import { Worker } from 'node:worker_threads';
import type { LeafPass, LeafPassResult } from '@evidence-portal/core';

/** Chunks in flight to the worker before the reader waits: bounds memory at a few MiB. */
const maxInFlight = 4;

type WorkerMessage = { ack: true } | { result: LeafPassResult };

/** A `LeafPass` on a worker thread: the export's leaf hashing and Merkle tree run on a second core. */
export function workerLeafPass(): LeafPass {
  const worker = new Worker(new URL('./leaf-pass-worker.mjs', import.meta.url));
  let inFlight = 0;
  let wakeReader: (() => void) | undefined;
  let settle: { resolve: (result: LeafPassResult) => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;

  worker.on('message', (message: WorkerMessage) => {
    if ('ack' in message) {
      inFlight--;
      wakeReader?.();
      wakeReader = undefined;
    } else {
      settle?.resolve(message.result);
      void worker.terminate();
    }
  });
  const fail = (error: Error) => {
    failure = error;
    settle?.reject(error);
    wakeReader?.();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (code !== 0 && !settle) fail(new Error(`leaf verification worker exited with ${code}`));
  });

  return {
    async push(chunk) {
      if (failure) throw failure;
      // Copied into a buffer of its own and transferred: the reader keeps its chunk, the worker may
      // write into this one.
      const copy = new Uint8Array(chunk);
      inFlight++;
      worker.postMessage(copy, [copy.buffer]);
      while (inFlight >= maxInFlight && !failure) await new Promise<void>((wake) => (wakeReader = wake));
      if (failure) throw failure;
    },
    finish() {
      if (failure) return Promise.reject(failure);
      return new Promise<LeafPassResult>((resolve, reject) => {
        settle = { resolve, reject };
        worker.postMessage('finish');
      });
    },
    abort() {
      void worker.terminate();
    },
  };
}
