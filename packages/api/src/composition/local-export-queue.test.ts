import { describe, expect, it } from 'vitest';
import { LocalExportQueue } from './local-export-queue.js';

describe('LocalExportQueue', () => {
  it('a listening runner builds jobs queued later, one at a time, in order', async () => {
    const queue = new LocalExportQueue();
    const ran: string[] = [];
    let active = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    queue.listen(async (job) => {
      active++;
      expect(active).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      ran.push(job.bundleId);
      active--;
      if (ran.length === 3) done();
    });
    // Listening on an empty queue first, then jobs arrive (the local server's order).
    await new Promise((resolve) => setImmediate(resolve));
    await queue.enqueue({ orgId: 'o-1', bundleId: 'eb-1' });
    await queue.enqueue({ orgId: 'o-1', bundleId: 'eb-2' });
    await new Promise((resolve) => setImmediate(resolve));
    await queue.enqueue({ orgId: 'o-1', bundleId: 'eb-3' });

    await finished;
    expect(ran).toEqual(['eb-1', 'eb-2', 'eb-3']);
  });

  it('drain runs what is queued with the given runner and resolves when empty', async () => {
    const queue = new LocalExportQueue();
    const ran: string[] = [];
    await queue.enqueue({ orgId: 'o-1', bundleId: 'eb-1' });
    await queue.drain(async (job) => {
      ran.push(job.bundleId);
      throw new Error('a failed job does not stop the queue');
    });
    await queue.drain(async (job) => ran.push(job.bundleId));

    expect(ran).toEqual(['eb-1']);
  });
});
