import { z } from 'zod';
import { feedbackReasonCodes } from './inquiry-model.js';

/** The shapes of the Artifact model (artifact/2018-05-10), which the portal's routes share. */
export const inquiryIdPattern = /^compliance-inquiry-[a-zA-Z0-9]{16}$/;
export const inquiryIdField = z
  .string()
  .regex(inquiryIdPattern, 'must match compliance-inquiry-[a-zA-Z0-9]{16}')
  .describe('A compliance inquiry id (`compliance-inquiry-` and 16 letters or digits)');

export const clientTokenField = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w-]+$/, 'letters, digits, `_` and `-` only')
  .describe('Idempotency token: the same token with the same input answers the first result');

/** LongStringAttribute: 1-2048 characters, no `<` or `>`. */
export const queryTextField = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .regex(/^[^<>]*$/, 'must not contain < or >')
  .describe('One compliance question (at most 2,048 characters, no < or >)');

export const fileSectionField = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[a-zA-Z0-9_\-\s]*$/, 'letters, digits, spaces, `_` and `-` only');

/** Questionnaires up to 192 KiB: base64 in JSON (as the Artifact API carries blobs), within the API body limit of 256 KiB. */
export const maxQuestionnaireBytes = 192 * 1024;

export const inquiryContentField = z
  .object({
    query: queryTextField.optional(),
    fileContent: z
      .object({
        content: z
          .string()
          .min(1)
          .max(Math.ceil((maxQuestionnaireBytes * 4) / 3) + 4)
          .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')
          .describe('The questionnaire, base64: CSV (one question per row) or plain text (one per line)'),
        fileSections: z
          .array(fileSectionField)
          .max(30)
          .optional()
          .describe('CSV columns (by header) or text sections (`# heading` lines) whose questions to answer'),
      })
      .optional(),
  })
  .refine((content) => (content.query === undefined) !== (content.fileContent === undefined), {
    message: 'give exactly one of query or fileContent',
  });

export const inquiryNameField = z.string().trim().min(1).max(256).describe('Title of the inquiry');

export const feedbackFields = {
  queryIdentifier: z.number().int().min(1).optional().describe('The query rated (absent: the whole inquiry)'),
  rating: z.enum(['THUMBS_UP', 'THUMBS_DOWN']),
  responseRevisionId: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The revision of the answer rated (its number of operator answers): a stale one is refused'),
  reasonCodes: z.array(z.enum(feedbackReasonCodes)).max(3).optional(),
  comment: z
    .string()
    .min(1)
    .max(1000)
    .regex(/^[a-zA-Z0-9\s.,;:!?'\-()/@#&+=]+$/, "letters, digits, spaces and . , ; : ! ? ' - ( ) / @ # & + = only")
    .optional(),
  clientToken: clientTokenField.optional(),
};
