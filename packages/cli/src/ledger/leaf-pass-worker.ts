import { parentPort } from 'node:worker_threads';
// The export module alone, not the core index: the worker starts in a fraction of the time.
import { ExportLeafVerifier } from '@evidence-portal/core/ledger-export';

// Messages: a chunk (Uint8Array) to verify, or 'finish'. Each chunk is acknowledged so the reader can
// keep a bounded number in flight.
const verifier = new ExportLeafVerifier();
const port = parentPort!;
port.on('message', (message: Uint8Array | 'finish') => {
  if (message === 'finish') {
    port.postMessage({ result: verifier.finish() });
    return;
  }
  verifier.pushChunk(message);
  port.postMessage({ ack: true });
});
