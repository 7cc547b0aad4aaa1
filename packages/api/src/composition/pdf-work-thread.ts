/**
 * One thread of the PDF work pool (pdf-work-pool.ts): runs each job it is sent with core's
 * in-process implementation, one at a time, and answers it (the rewritten file transferred back).
 */
import { parentPort } from 'node:worker_threads';
import type { ReportPdfCheck, WatermarkStamp } from '@evidence-portal/core';
import { inProcessPdfWork } from '@evidence-portal/core/report-pdf-work';

export type PdfWorkJob =
  | { kind: 'validate'; bytes: Uint8Array; maxBytes: number }
  | { kind: 'rewrite'; bytes: Uint8Array; stamp: WatermarkStamp; fontBytes?: Uint8Array };
export type PdfWorkRequest = PdfWorkJob & { id: number };
export type PdfWorkReply =
  | { id: number; ok: true; result: ReportPdfCheck | Uint8Array }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

async function perform(job: PdfWorkJob): Promise<{ result: ReportPdfCheck | Uint8Array; transfer: ArrayBuffer[] }> {
  if (job.kind === 'validate') {
    return { result: await inProcessPdfWork.validate(job.bytes, { maxBytes: job.maxBytes }), transfer: [] };
  }
  const pdf = await inProcessPdfWork.rewrite(job.bytes, job.stamp, job.fontBytes ? { fontBytes: job.fontBytes } : {});
  const whole = pdf.buffer instanceof ArrayBuffer && pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength;
  return { result: pdf, transfer: whole ? [pdf.buffer as ArrayBuffer] : [] };
}

const port = parentPort;
if (port) {
  port.on('message', (request: PdfWorkRequest) => {
    perform(request).then(
      ({ result, transfer }) => port.postMessage({ id: request.id, ok: true, result } satisfies PdfWorkReply, transfer),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        port.postMessage({
          id: request.id,
          ok: false,
          error: { name: failure.name, message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) },
        } satisfies PdfWorkReply);
      },
    );
  });
}
