import { createPdfWorkPool, type PdfWorkPool } from '@evidence-portal/api';
import { DependencyUnavailableError, inProcessPdfWork, loadPdfTools } from '@evidence-portal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byTier, tier } from '../support/context.js';
import { type EdgeCaseName, edgeCasePdf } from './edge-case-pdfs.js';

const stamp = {
  email: 'dana.reviewer@customer.example',
  displayName: 'Dana Reviewer',
  accountId: '333333333333',
  time: new Date('2026-05-01T09:30:00Z'),
  downloadId: 'dl-01JTESTPOOL00000000000001',
  termsRevision: 'tr-01JTERMS',
};
const maxBytes = 200 * 1024 * 1024;
const crashingThread = new URL('./fixtures/crashing-pdf-thread.ts', import.meta.url);

/** The demo catalog's PDFs (8, 10 and 12 pages, and the 300-page one), as seedDemoReports generates them. */
async function seeded(pages: number): Promise<Uint8Array> {
  const { generateDemoReportPdf } = await loadPdfTools();
  return generateDemoReportPdf({
    title: 'Example Cloud SOC 2 Type II',
    company: 'Example Cloud',
    series: 'SOC 2 Type II',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    pages,
  });
}

/** A file pdf-lib parses but whose startxref points nowhere: valid, yet every download takes the full rewrite. */
function brokenStartxref(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const at = text.lastIndexOf('startxref');
  const match = /startxref\s+(\d+)/.exec(text.slice(at));
  if (!match?.[1]) throw new Error('no startxref');
  const digits = at + match[0].length - match[1].length;
  const out = Buffer.from(bytes);
  out.write('9'.padStart(match[1].length, '0'), digits, 'latin1');
  return new Uint8Array(out);
}

const edgeCases: EdgeCaseName[] =
  tier() === 'soak' ? ['rotated', 'signed', 'shared-resources', 'object-streams'] : ['rotated'];
const seededPages = tier() === 'soak' ? [8, 10, 12, 300] : [10, 300];

describe('PDF work on worker threads (npm start) answers exactly what the in-process work does', () => {
  let pool: PdfWorkPool;
  const files = new Map<string, Uint8Array>();
  beforeAll(async () => {
    pool = createPdfWorkPool({ size: 2 });
    for (const pages of seededPages) files.set(`seeded ${pages} pages`, await seeded(pages));
    for (const name of edgeCases) files.set(name, await edgeCasePdf(name));
    files.set('broken startxref (fast path unsupported)', brokenStartxref(files.get('seeded 10 pages') as Uint8Array));
    files.set('not a PDF', new TextEncoder().encode('just text, no header'));
  }, 240_000);
  afterAll(() => pool.close());

  it.each([
    ...seededPages.map((pages) => `seeded ${pages} pages`),
    ...edgeCases,
    'broken startxref (fast path unsupported)',
    'not a PDF',
  ])('%s: the same check and prepared description', async (name) => {
    const bytes = files.get(name) as Uint8Array;
    const inProcess = await inProcessPdfWork.validate(bytes.slice(), { maxBytes });
    const threaded = await pool.validate(bytes.slice(), { maxBytes });
    expect(threaded).toEqual(inProcess);
    if (name.startsWith('broken'))
      expect(threaded).toMatchObject({ ok: true, fastPathUnsupported: expect.any(String) });
    if (name === 'not a PDF') expect(threaded.ok).toBe(false);
  });

  // The fast tier rewrites what a download really falls back on (a seeded report the fast path
  // cannot take) and one edge case; soak every file.
  const fallback = 'broken startxref (fast path unsupported)';
  const rewritten =
    tier() === 'soak'
      ? [...seededPages.map((pages) => `seeded ${pages} pages`), ...edgeCases, fallback]
      : [fallback, 'rotated'];
  it.each(rewritten)('%s: the full rewrite is byte for byte the same', async (name) => {
    const bytes = files.get(name) as Uint8Array;
    const inProcess = await inProcessPdfWork.rewrite(bytes.slice(), stamp, {});
    const threaded = await pool.rewrite(bytes.slice(), stamp, {});
    expect(threaded.byteLength).toBeGreaterThan(bytes.byteLength / 2);
    expect(Buffer.compare(Buffer.from(threaded), Buffer.from(inProcess))).toBe(0);
  });

  it('maps an error thrown in the thread back with the same name and message', async () => {
    const garbage = new TextEncoder().encode('not a PDF at all');
    const failure = (error: unknown) => error as Error;
    const inProcess = await inProcessPdfWork.rewrite(garbage.slice(), stamp, {}).then(() => new Error('none'), failure);
    const threaded = await pool.rewrite(garbage.slice(), stamp, {}).then(() => new Error('none'), failure);
    expect(inProcess).toBeInstanceOf(Error);
    expect(threaded).toBeInstanceOf(Error);
    expect({ name: threaded.name, message: threaded.message }).toEqual({
      name: inProcess.name,
      message: inProcess.message,
    });
    expect(threaded.stack).toContain('in the PDF worker thread');
  });

  it('transfers a whole buffer to the thread (the caller hands it over) and copies a view of a larger one', async () => {
    const whole = (files.get('seeded 10 pages') as Uint8Array).slice();
    const inLarger = new Uint8Array(whole.byteLength + 16);
    inLarger.set(whole, 8);
    const view = inLarger.subarray(8, 8 + whole.byteLength);
    const [a, b] = await Promise.all([pool.validate(whole, { maxBytes }), pool.validate(view, { maxBytes })]);
    expect(whole.byteLength).toBe(0);
    expect(view.byteLength).toBe(a.ok ? (files.get('seeded 10 pages') as Uint8Array).byteLength : -1);
    expect(b).toEqual(a);
  });
});

describe('the PDF work pool stays bounded and never hangs', () => {
  it('runs at most `size` threads however many jobs come, and refuses jobs past its queue at once', async () => {
    const pool = createPdfWorkPool({ size: 2, maxQueued: 3 });
    try {
      const bytes = await seeded(8);
      const jobs = byTier(5, 12);
      const accepted = Array.from({ length: 5 }, () => pool.validate(bytes.slice(), { maxBytes }));
      const refused = await pool.validate(bytes.slice(), { maxBytes }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DependencyUnavailableError);
      expect((refused as DependencyUnavailableError).dependency).toBe('PDF');
      const results = await Promise.all(accepted);
      expect(results.every((result) => result.ok)).toBe(true);
      // Then more jobs than threads, one after another as the queue allows.
      for (let i = 0; i < jobs; i += 5) {
        await Promise.all(Array.from({ length: 5 }, () => pool.validate(bytes.slice(), { maxBytes })));
      }
      expect(pool.stats()).toMatchObject({ peakThreads: 2, busy: 0, queued: 0, crashed: 0 });
    } finally {
      await pool.close();
    }
  });

  it('a thread that exits or throws fails its job with DependencyUnavailableError (never a hang); the next job gets a new thread', async () => {
    const pool = createPdfWorkPool({ size: 1, threadModule: crashingThread });
    try {
      const bytes = await seeded(8);
      const exited = await pool
        .rewrite(bytes.slice(), { ...stamp, downloadId: 'crash:exit' }, {})
        .catch((error: unknown) => error);
      const threw = await pool
        .rewrite(bytes.slice(), { ...stamp, downloadId: 'crash:throw' }, {})
        .catch((error: unknown) => error);
      const after = await pool.rewrite(bytes.slice(), stamp, {});

      expect(exited).toBeInstanceOf(DependencyUnavailableError);
      expect((exited as Error).message).toBe('A PDF worker stopped (exit code 7).');
      expect(threw).toBeInstanceOf(DependencyUnavailableError);
      expect((threw as Error).message).toBe('A PDF worker stopped (exit code 1): the thread fell over.');
      expect(
        Buffer.compare(Buffer.from(after), Buffer.from(await inProcessPdfWork.rewrite(bytes.slice(), stamp, {}))),
      ).toBe(0);
      expect(pool.stats()).toMatchObject({ crashed: 2, threads: 1, busy: 0 });
    } finally {
      await pool.close();
    }
  });

  it('a job its thread never answers fails after the job timeout (counted from the thread being loaded)', async () => {
    const pool = createPdfWorkPool({ size: 1, jobTimeoutMs: 2000, threadModule: crashingThread });
    try {
      const hung = await pool
        .rewrite(await seeded(8), { ...stamp, downloadId: 'crash:hang' }, {})
        .catch((error: unknown) => error);
      const after = await pool.validate(new TextEncoder().encode('not a PDF'), { maxBytes });

      expect(hung).toBeInstanceOf(DependencyUnavailableError);
      expect((hung as Error).message).toMatch(/^A PDF worker stopped \(exit code \d+\): no answer within 2000 ms\.$/);
      expect(after.ok).toBe(false);
      expect(pool.stats()).toMatchObject({ crashed: 1, threads: 1, busy: 0 });
    } finally {
      await pool.close();
    }
  });

  // Slow on purpose (the heap fills before the thread stops): full counts only.
  if (tier() === 'soak') {
    it('a thread past its heap limit fails its job instead of taking the server down; the next job runs', async () => {
      const pool = createPdfWorkPool({
        size: 1,
        resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 2 },
      });
      try {
        const failed = await pool.rewrite(await edgeCasePdf('seeded-300'), stamp, {}).catch((error: unknown) => error);
        const small = await pool.rewrite(await seeded(8), stamp, {});
        expect(failed).toBeInstanceOf(DependencyUnavailableError);
        expect((failed as Error).message).toMatch(/^A PDF worker stopped \(exit code 1\): .*memory limit/);
        expect(small.byteLength).toBeGreaterThan(10_000);
        expect(pool.stats()).toMatchObject({ crashed: 1, threads: 1 });
      } finally {
        await pool.close();
      }
    });
  }

  it('close() fails what is pending and refuses what comes after', async () => {
    const pool = createPdfWorkPool({ size: 1 });
    const bytes = await seeded(8);
    const running = pool.validate(bytes.slice(), { maxBytes }).catch((error: unknown) => error);
    const waiting = pool.validate(bytes.slice(), { maxBytes }).catch((error: unknown) => error);
    await pool.close();
    expect(await running).toBeInstanceOf(DependencyUnavailableError);
    expect(await waiting).toBeInstanceOf(DependencyUnavailableError);
    await expect(pool.validate(bytes.slice(), { maxBytes })).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
