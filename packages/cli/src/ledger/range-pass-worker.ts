import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
// The range module alone, not the core index: the worker starts in a fraction of the time.
import { ExportRangeVerifier, type RangeRequest } from '@evidence-portal/core/ledger-export-range';

// Verifies the second half of an export file (docs/ledger.md, "Verifying on two cores"). It starts
// while the first thread reads the header, waits for the request, reads the file itself from the
// split offset (so no bytes cross between threads) and posts one result.
const { file } = workerData as { file: string };
const port = parentPort!;
port.once('message', async (request: RangeRequest) => {
  const range = new ExportRangeVerifier(request);
  for await (const chunk of createReadStream(file, { start: request.split - 1, highWaterMark: 1 << 20 })) {
    if (!range.pushChunk(chunk as Buffer)) break;
  }
  port.postMessage(range.finish());
});
