/**
 * The PDF half of the reports module (pdf-lib + fontkit, over a megabyte minified). Loaded with
 * `loadPdfTools()` on first use, so the API's cold start does not pay for it.
 */
export { generateDemoReportPdf } from './demo-report-pdf.js';
export { type CopyStamp, type IncrementalCopy, incrementalCopy } from './pdf/incremental-update.js';
export { readPdfTrailer } from './pdf/pdf-trailer.js';
export { preparePdf } from './pdf/prepare-report-pdf.js';
export { validateReportPdf } from './validate-report-pdf.js';
export { downloadIdInfoKey, renderableText, watermarkFontBytes, watermarkPdf } from './watermark-pdf.js';
