export * from './catalog-query.js';
export type { DemoReportSpec } from './demo-report-pdf.js';
export type { PreparedPdf } from './pdf/prepared-pdf.js';
export * from './report-catalog.js';
export * from './report-copy.js';
export * from './report-freshness.js';
export * from './report-keys.js';
export type * from './report-model.js';
export { reportVisibleTo } from './report-model.js';
export * from './report-pdf-work.js';
export * from './report-service.js';
export type { ReportPdfCheck } from './validate-report-pdf.js';
export type { WatermarkStamp } from './watermark-pdf.js';

/** pdf-lib and fontkit load on first use (see pdf-tools.ts). */
export const loadPdfTools = () => import('./pdf-tools.js');
