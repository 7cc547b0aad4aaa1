import type { ReportPdfCheck } from './validate-report-pdf.js';
import type { WatermarkStamp } from './watermark-pdf.js';

/**
 * The CPU-heavy PDF work: the one parse at publish time and the full pdf-lib rewrite that files
 * the incremental path cannot take fall back to. A long-running server (`npm start`) runs it on a
 * pool of worker threads (`createPdfWorkPool`, packages/api) so its event loop keeps answering; a
 * Lambda (one request per invocation) runs it here. Callers hand the bytes over: an implementation
 * may transfer them to another thread, leaving the caller's view empty.
 */
export interface ReportPdfWork {
  validate(bytes: Uint8Array, options: { maxBytes: number }): Promise<ReportPdfCheck>;
  rewrite(bytes: Uint8Array, stamp: WatermarkStamp, options: { fontBytes?: Uint8Array }): Promise<Uint8Array>;
}

/** The same work on the calling thread (pdf-lib loads on first use). */
export const inProcessPdfWork: ReportPdfWork = {
  async validate(bytes, options) {
    const { validateReportPdf } = await import('./validate-report-pdf.js');
    return validateReportPdf(bytes, options);
  },
  async rewrite(bytes, stamp, options) {
    const { watermarkPdf } = await import('./watermark-pdf.js');
    return watermarkPdf(bytes, stamp, options.fontBytes ? { fontBytes: options.fontBytes } : {});
  },
};
