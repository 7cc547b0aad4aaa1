import type { ExportQueue } from '@evidence-portal/core';

type Job = { orgId: string; bundleId: string };

/**
 * The export queue of runtimes without SQS (`npm start`, tests): jobs wait in memory; the local
 * server's runner (`listen`) builds them one at a time as they arrive, and tests `drain()` it.
 * The queue itself does not survive a restart; the bundles' states do, and the runner recovers from
 * them when it starts (`startExportRunner` in jobs.ts).
 */
export class LocalExportQueue implements ExportQueue {
  private readonly pending: Job[] = [];
  private runner: ((job: Job) => Promise<unknown>) | undefined;
  private running: Promise<void> | undefined;

  async enqueue(job: Job): Promise<void> {
    this.pending.push(job);
    if (this.runner) void this.drain();
  }

  /** Runs every job as it is queued (the local server). */
  listen(run: (job: Job) => Promise<unknown>): void {
    this.runner = run;
    void this.drain();
  }

  /** Runs the queued jobs one after another; resolves when the queue is empty. */
  drain(run?: (job: Job) => Promise<unknown>): Promise<void> {
    const runner = run ?? this.runner;
    if (!runner) return Promise.resolve();
    this.running ??= (async () => {
      // Yield first, so `running` is set before the loop can finish (an empty queue finishes at once).
      await Promise.resolve();
      // A failed job marks its bundle failed itself; the queue goes on with the next.
      for (let job = this.pending.shift(); job; job = this.pending.shift()) await runner(job).catch(() => undefined);
      // No await between the empty check and this: a job queued meanwhile was taken by the loop.
      this.running = undefined;
    })();
    return this.running;
  }
}
