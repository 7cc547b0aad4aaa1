import { z } from 'zod';

/** The fields the reports use cases take; routes reuse them for the request and the OpenAPI document. */
export const reportIdPattern = /^rpt-[0-9a-z]{1,64}$/;
export const reportIdField = z.string().regex(reportIdPattern, 'not a report id');
export const versionNumberField = z.number().int().min(1).max(999_999);
export const isoDateField = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');

/** One report. */
export const reportInput = z.object({ reportId: reportIdField });
export type ReportInput = z.infer<typeof reportInput>;

/** One version of a report. */
export const reportVersionInput = z.object({ reportId: reportIdField, version: versionNumberField });
export type ReportVersionInput = z.infer<typeof reportVersionInput>;

/** One version of a report, or its newest when `version` is omitted (as the Artifact operations name one). */
export const reportVersionOrNewestInput = reportInput.extend({ version: versionNumberField.optional() });
export type ReportVersionOrNewestInput = z.infer<typeof reportVersionOrNewestInput>;
