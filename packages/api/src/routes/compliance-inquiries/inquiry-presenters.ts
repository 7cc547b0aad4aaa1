import { complianceInquiryArn, type Inquiry, type InquiryQuery, responseRevisionOf } from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

const TagsSchema = z.record(z.string(), z.string());

export const InquirySchema = z
  .object({
    id: z.string().openapi({ example: 'compliance-inquiry-01JQ4X9M2K8D7F6E' }),
    arn: z.string(),
    name: z.string(),
    status: z.enum(['PROCESSING', 'HUMAN_REVIEW', 'COMPLETED', 'FAILED']),
    statusMessage: z.string(),
    inputSource: z.enum(['TEXT', 'FILE']),
    supportMode: z.enum(['AI_ONLY', 'FULL_SUPPORT']),
    queryCount: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.object({ userId: z.string(), email: z.string().optional() }),
    tags: TagsSchema.optional().openapi({ description: 'Answered by create and get' }),
  })
  .openapi('ComplianceInquiry');

export const CitationSchema = z
  .object({
    reportId: z.string(),
    version: z.number().optional(),
    sourceLabel: z.string(),
    sourceContent: z.string().openapi({ description: 'The catalog text of the report that matched' }),
    sourceLink: z.string().openapi({ description: 'The report in the console' }),
  })
  .openapi('ComplianceInquiryCitation');

export const QuerySchema = z
  .object({
    queryIdentifier: z.number(),
    query: z.string(),
    section: z.string().optional().openapi({ description: 'The CSV column or text section it came from' }),
    response: z.string().optional(),
    reviewType: z
      .enum(['HUMAN'])
      .optional()
      .openapi({ description: 'HUMAN for operator answers; absent for automatic retrieval (not AI)' }),
    citations: z.array(CitationSchema),
    status: z.enum(['PROCESSING', 'COMPLETED', 'FAILED']),
    statusMessage: z.string(),
    createdAt: z.string(),
    responseRevisionId: z.number().openapi({ description: 'What feedback names to rate this exact answer' }),
    updatedResponseVersions: z.array(z.object({ responseText: z.string(), timestamp: z.string() })),
    myRating: z.enum(['THUMBS_UP', 'THUMBS_DOWN']).optional().openapi({ description: 'Your latest rating' }),
  })
  .openapi('ComplianceInquiryQuery');

export const ReviewItemSchema = InquirySchema.omit({ tags: true })
  .extend({ orgId: z.string().openapi({ description: 'The organization that asked' }) })
  .openapi('ComplianceInquiryReview');

export const ExportSchema = z
  .object({
    exportId: z.string(),
    url: z.string().openapi({ description: 'Short-lived URL of the PDF' }),
    sha256: z.string(),
    size: z.number(),
    expiresInSeconds: z.number(),
    tags: TagsSchema,
  })
  .openapi('ComplianceInquiryExport');

export function presentInquiry(inquiry: Inquiry, tags?: Record<string, string>): z.infer<typeof InquirySchema> {
  return {
    id: inquiry.id,
    arn: complianceInquiryArn(inquiry.orgId, inquiry.id),
    name: inquiry.name,
    status: inquiry.status,
    statusMessage: inquiry.statusMessage,
    inputSource: inquiry.inputSource,
    supportMode: inquiry.supportMode,
    queryCount: inquiry.queryCount,
    createdAt: inquiry.createdAt,
    updatedAt: inquiry.updatedAt,
    createdBy: {
      userId: inquiry.createdBy.userId,
      ...(inquiry.createdBy.email ? { email: inquiry.createdBy.email } : {}),
    },
    ...(tags ? { tags } : {}),
  };
}

export function presentReviewItem(inquiry: Inquiry): z.infer<typeof ReviewItemSchema> {
  const { tags: _none, ...rest } = presentInquiry(inquiry);
  return { ...rest, orgId: inquiry.orgId };
}

export function presentQuery(query: InquiryQuery, myRating?: 'THUMBS_UP' | 'THUMBS_DOWN'): z.infer<typeof QuerySchema> {
  return {
    queryIdentifier: query.queryIdentifier,
    query: query.query,
    ...(query.section ? { section: query.section } : {}),
    ...(query.response !== undefined ? { response: query.response } : {}),
    ...(query.reviewType ? { reviewType: query.reviewType } : {}),
    citations: query.citations.map((citation) => ({
      reportId: citation.reportId,
      ...(citation.version !== undefined ? { version: citation.version } : {}),
      sourceLabel: citation.sourceLabel,
      sourceContent: citation.sourceContent,
      sourceLink: `/reports/${encodeURIComponent(citation.reportId)}`,
    })),
    status: query.status,
    statusMessage: query.statusMessage,
    createdAt: query.createdAt,
    responseRevisionId: responseRevisionOf(query),
    // Who in the operator's organization answered stays in the ledger, not in the answer.
    updatedResponseVersions: query.updatedResponseVersions.map((version) => ({
      responseText: version.responseText,
      timestamp: version.timestamp,
    })),
    ...(myRating ? { myRating } : {}),
  };
}
