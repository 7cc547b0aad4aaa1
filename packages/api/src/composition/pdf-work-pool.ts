import { availableParallelism } from 'node:os';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import {
  DependencyUnavailableError,
  type ReportPdfCheck,
  type ReportPdfWork,
  type WatermarkStamp,
} from '@evidence-portal/core';
import type { PdfWorkJob, PdfWorkReply, PdfWorkRequest } from './pdf-work-thread.js';

export interface PdfWorkPoolOptions {
  /** Worker threads at most (default: the cores but one, 1 to 4); started on demand, kept while the pool lives. */
  size?: number;
  /** Jobs waiting for a thread at most; one more is refused at once (503 `dependency_unavailable`). Default 16. */
  maxQueued?: number;
  /** A job unanswered this long stops its thread and fails (a file that sends pdf-lib into a loop). Default 120 s. */
  jobTimeoutMs?: number;
  /** Heap limits of each thread (a thread past them stops; its job fails, the next job gets a new thread). */
  resourceLimits?: ResourceLimits;
  /** The module a thread runs (default `pdf-work-thread.ts`); tests substitute one that crashes. */
  threadModule?: URL;
}

export interface PdfWorkPoolStats {
  /** Threads alive now, and the most that were ever alive at once. */
  threads: number;
  peakThreads: number;
  busy: number;
  queued: number;
  /** Threads that stopped (a crash, the heap limit, a job past its time) and were replaced on demand. */
  crashed: number;
}

/** `ReportPdfWork` on worker threads; `close()` stops them (pending jobs fail). */
export interface PdfWorkPool extends ReportPdfWork {
  readonly size: number;
  stats(): PdfWorkPoolStats;
  close(): Promise<void>;
}

interface Job {
  request: PdfWorkJob;
  transfer: ArrayBuffer[];
  resolve(value: ReportPdfCheck | Uint8Array): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  job?: Job & { id: number; timer?: NodeJS.Timeout };
  /** What the thread threw before it stopped (an uncaught exception, its heap limit). */
  failure?: Error;
  /** Its module loaded (a job's time runs from then: loading TypeScript takes seconds on a busy machine). */
  ready: boolean;
}

const defaultThreadModule = new URL('./pdf-work-thread.ts', import.meta.url);
const bootModule = new URL('./pdf-work-thread-boot.mjs', import.meta.url);

/**
 * The CPU-heavy PDF work of a long-running server (`npm start`) on a small pool of worker threads,
 * so its event loop keeps answering while a version is parsed at publish time or a file the
 * incremental path cannot take is rewritten whole. Each thread runs one job at a time with core's
 * own in-process implementation, so results are the same; the bytes are transferred (not copied)
 * to the thread and the rewritten file back. An error thrown in a thread rejects its job with the
 * same name and message; a thread that stops (crash, heap limit, `close()`) rejects its job with
 * `DependencyUnavailableError('PDF')`, and the next job starts a new thread. The queue is bounded.
 * A Lambda, one request per invocation, keeps `inProcessPdfWork`.
 */
export function createPdfWorkPool(options: PdfWorkPoolOptions = {}): PdfWorkPool {
  const size = Math.max(1, Math.floor(options.size ?? Math.min(4, Math.max(1, availableParallelism() - 1))));
  const maxQueued = Math.max(0, options.maxQueued ?? 16);
  const jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
  const threadModule = options.threadModule ?? defaultThreadModule;
  const threads = new Set<Thread>();
  const queue: Job[] = [];
  let nextId = 1;
  let peakThreads = 0;
  let crashed = 0;
  let closed = false;

  const start = (): Thread => {
    const worker = new Worker(bootModule, {
      workerData: { module: threadModule.href },
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    const thread: Thread = { worker, ready: false };
    const finish = () => {
      const job = thread.job;
      if (job) clearTimeout(job.timer);
      thread.job = undefined;
      return job;
    };
    worker.on('message', (reply: PdfWorkReply | { ready: true }) => {
      if ('ready' in reply) {
        thread.ready = true;
        if (thread.job) thread.job.timer = deadline(thread);
        return;
      }
      if (thread.job?.id !== reply.id) return;
      const job = finish() as Job;
      if (reply.ok) job.resolve(reply.result);
      else job.reject(fromThread(reply.error));
      dispatch();
    });
    worker.on('messageerror', (error) => {
      finish()?.reject(
        new DependencyUnavailableError('PDF', 'A PDF worker answered unreadably.', true, { cause: error }),
      );
      dispatch();
    });
    worker.on('error', (error) => {
      thread.failure = error;
    });
    worker.on('exit', (code) => {
      threads.delete(thread);
      const job = finish();
      if (!closed) crashed++;
      if (job) {
        const reason = thread.failure ? `: ${thread.failure.message}` : '';
        job.reject(
          new DependencyUnavailableError(
            'PDF',
            closed ? 'The PDF workers were stopped.' : `A PDF worker stopped (exit code ${code})${reason}.`,
            true,
            { cause: thread.failure },
          ),
        );
      }
      dispatch();
    });
    threads.add(thread);
    peakThreads = Math.max(peakThreads, threads.size);
    return thread;
  };

  const deadline = (thread: Thread) => {
    const timer = setTimeout(() => {
      thread.failure = new Error(`no answer within ${jobTimeoutMs} ms`);
      void thread.worker.terminate();
    }, jobTimeoutMs);
    timer.unref();
    return timer;
  };

  const dispatch = () => {
    while (!closed && queue.length > 0) {
      let idle: Thread | undefined;
      for (const thread of threads) if (!thread.job) idle = thread;
      if (!idle && threads.size < size) idle = start();
      if (!idle) return;
      const job = queue.shift() as Job;
      const id = nextId++;
      idle.job = { ...job, id };
      if (idle.ready) idle.job.timer = deadline(idle);
      idle.worker.ref();
      idle.worker.postMessage({ ...job.request, id } as PdfWorkRequest, job.transfer);
    }
    // Idle threads never keep the process alive (a CLI or a test ends when its work does).
    for (const thread of threads) if (!thread.job) thread.worker.unref();
  };

  const run = (request: PdfWorkJob, bytes: Uint8Array): Promise<ReportPdfCheck | Uint8Array> => {
    if (closed) return Promise.reject(new DependencyUnavailableError('PDF', 'The PDF workers were stopped.'));
    const busy = [...threads].filter((thread) => thread.job).length;
    if (busy + queue.length >= size + maxQueued) {
      return Promise.reject(
        new DependencyUnavailableError('PDF', `${queue.length} PDF jobs are already waiting for a worker.`),
      );
    }
    const owned = handOver(bytes);
    return new Promise((resolve, reject) => {
      queue.push({ request: { ...request, bytes: owned }, transfer: [owned.buffer], resolve, reject });
      dispatch();
    });
  };

  return {
    size,
    validate: async (bytes, validateOptions) =>
      (await run({ kind: 'validate', bytes, maxBytes: validateOptions.maxBytes }, bytes)) as ReportPdfCheck,
    rewrite: async (bytes: Uint8Array, stamp: WatermarkStamp, rewriteOptions: { fontBytes?: Uint8Array }) =>
      (await run(
        {
          kind: 'rewrite',
          bytes,
          stamp,
          // The font is shared by every copy: cloned, never transferred.
          ...(rewriteOptions.fontBytes ? { fontBytes: rewriteOptions.fontBytes } : {}),
        },
        bytes,
      )) as Uint8Array,
    stats: () => ({
      threads: threads.size,
      peakThreads,
      busy: [...threads].filter((thread) => thread.job).length,
      queued: queue.length,
      crashed,
    }),
    close: async () => {
      closed = true;
      for (const job of queue.splice(0)) {
        job.reject(new DependencyUnavailableError('PDF', 'The PDF workers were stopped.'));
      }
      await Promise.all([...threads].map((thread) => thread.worker.terminate()));
    },
  };
}

/**
 * Bytes the thread may own: the caller's buffer itself when the view spans all of it (a file read
 * for this job), else a copy (a slice of a larger or pooled buffer must not be detached).
 */
function handOver(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return new Uint8Array(buffer);
  }
  return new Uint8Array(bytes);
}

/** The thread's error as this thread's: same name and message, the thread's stack after ours. */
function fromThread(error: { name: string; message: string; stack?: string }): Error {
  const local = new Error(error.message);
  local.name = error.name;
  if (error.stack) local.stack = `${local.stack ?? ''}\n  in the PDF worker thread:\n${error.stack}`;
  return local;
}
