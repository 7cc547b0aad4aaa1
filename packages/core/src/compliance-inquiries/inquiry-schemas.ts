import { z } from 'zod';
import { resourceTagsField } from '../tags/tag-fields.js';
import {
  clientTokenField,
  feedbackFields,
  inquiryContentField,
  inquiryIdField,
  inquiryNameField,
  queryTextField,
} from './inquiry-inputs.js';

/**
 * The input schemas of the writing use cases, apart from them: routes need them at start (requests and
 * the OpenAPI document), while the use cases themselves load on first use (compliance-inquiries.ts).
 */
/** CreateComplianceInquiry: a name, one query or a questionnaire file, optional idempotency token. */
export const createInquiryInput = z.object({
  name: inquiryNameField,
  inquiryContent: inquiryContentField,
  clientToken: clientTokenField.optional(),
  supportMode: z
    .enum(['AI_ONLY', 'FULL_SUPPORT'])
    .optional()
    .describe('FULL_SUPPORT (file uploads only): the portal operator answers each query; default AI_ONLY'),
  tags: resourceTagsField.optional(),
});
export type CreateInquiryInput = z.input<typeof createInquiryInput>;

export const putFeedbackInput = z.object({ inquiryId: inquiryIdField, ...feedbackFields });
export type PutFeedbackInput = z.input<typeof putFeedbackInput>;

export const exportInquiryBody = z.object({
  queryIdentifiers: z
    .array(z.number().int().min(1))
    .max(200)
    .optional()
    .describe('The queries to include (default: all)'),
  includeCitations: z.boolean().optional().describe('Include each answer’s citations (default false)'),
});
export const exportInquiryInput = exportInquiryBody.extend({ inquiryId: inquiryIdField });
export type ExportInquiryInput = z.input<typeof exportInquiryInput>;

export const answerQueryBody = z.object({
  response: queryTextField.describe('The answer (at most 2,048 characters, no < or >)'),
  reportIds: z.array(z.string().min(1).max(128)).max(5).optional().describe('Published reports the answer cites'),
});
export const answerQueryInput = answerQueryBody.extend({
  orgId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  inquiryId: inquiryIdField,
  queryIdentifier: z.coerce.number().int().min(1),
});
export type AnswerQueryInput = z.input<typeof answerQueryInput>;
