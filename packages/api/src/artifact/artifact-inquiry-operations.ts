import { ConflictError, type Inquiry, type InquiryQuery, inquiryIdPattern, NotFoundError } from '@evidence-portal/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { callerOf } from '../route-kit.js';
import { ArtifactError } from './artifact-errors.js';
import { artifactAlias, artifactArn } from './artifact-ids.js';
import { parseBody, parseQuery } from './artifact-input.js';
import { maxResultsField, nextTokenField } from './artifact-report-operations.js';

/**
 * The compliance-inquiry operations of botocore's artifact/2018-05-10 model: CreateComplianceInquiry,
 * GetComplianceInquiryMetadata, ListComplianceInquiries, ListComplianceInquiryQueries,
 * PutComplianceInquiryFeedback, ExportComplianceInquiry. The portal's inquiry ids already follow the
 * model's pattern, so no alias is needed. Answers are retrieval over the report catalog (core's
 * compliance-inquiries module), never a model's: `reviewType` is absent on them, HUMAN on operator answers.
 */
const inquiryId = z.string().regex(inquiryIdPattern, 'must match compliance-inquiry-[a-zA-Z0-9]{16}');

/** Refusals about an inquiry carry the model's resourceId and resourceType members. */
async function aboutInquiry<T>(id: string | undefined, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    const members = { resourceId: id ?? '', resourceType: 'compliance-inquiry' };
    if (error instanceof NotFoundError) throw new ArtifactError('ResourceNotFoundException', error.message, members);
    if (error instanceof ConflictError) throw new ArtifactError('ConflictException', error.message, members);
    throw error;
  }
}

const reportLink = (c: Context<AppEnv>) => (reportId: string) =>
  artifactArn(c, 'report', artifactAlias('report', reportId));

function summary(c: Context<AppEnv>, inquiry: Inquiry) {
  return {
    arn: artifactArn(c, 'compliance-inquiry', inquiry.id, c.get('principal')?.accountId ?? ''),
    name: inquiry.name,
    id: inquiry.id,
    status: inquiry.status,
    statusMessage: inquiry.statusMessage,
    inputSource: inquiry.inputSource,
    createdAt: inquiry.createdAt,
  };
}

function querySummary(c: Context<AppEnv>, query: InquiryQuery) {
  const link = reportLink(c);
  return {
    queryIdentifier: query.queryIdentifier,
    query: query.query,
    ...(query.response !== undefined ? { response: query.response } : {}),
    ...(query.reviewType ? { reviewType: query.reviewType } : {}),
    citations: query.citations.map((citation) => ({
      sourceLabel: citation.sourceLabel,
      sourceContent: citation.sourceContent,
      sourceLink: link(citation.reportId),
    })),
    status: query.status,
    statusMessage: query.statusMessage,
    createdAt: query.createdAt,
    updatedResponseVersions: query.updatedResponseVersions.map((version) => ({
      responseText: version.responseText,
      timestamp: version.timestamp,
    })),
  };
}

export function artifactInquiryOperations() {
  const app = new Hono<AppEnv>();
  const inquiries = (c: Context<AppEnv>) => c.get('deps').inquiries;

  app.post('/v1/compliance-inquiry/create', async (c) => {
    const body = await parseBody(
      c,
      z.object({
        name: z.string(),
        inquiryContent: z.object({ query: z.string().optional(), fileContent: z.unknown().optional() }),
        clientToken: z.string().optional(),
        supportMode: z.string().optional(),
        tags: z.record(z.string(), z.string()).optional(),
      }),
    );
    // The use case checks every member as the model states it (ValidationException names the field).
    const created = await aboutInquiry(undefined, () =>
      inquiries(c).create(callerOf(c), body as Parameters<ReturnType<typeof inquiries>['create']>[1]),
    );
    return c.json({ complianceInquirySummary: summary(c, created.inquiry), tags: created.tags }, 202);
  });

  app.get('/v1/compliance-inquiry/getMetadata', async (c) => {
    const query = parseQuery(c, z.object({ complianceInquiryId: inquiryId }));
    const { inquiry, tags } = await aboutInquiry(query.complianceInquiryId, () =>
      inquiries(c).get(callerOf(c), { inquiryId: query.complianceInquiryId }),
    );
    return c.json({
      complianceInquiryDetail: {
        ...summary(c, inquiry),
        updatedAt: inquiry.updatedAt,
        supportMode: inquiry.supportMode,
      },
      tags,
    });
  });

  app.get('/v1/compliance-inquiry/list', async (c) => {
    const query = parseQuery(c, z.object({ maxResults: maxResultsField, nextToken: nextTokenField }));
    const page = await inquiries(c).list(callerOf(c), {
      limit: Math.min(query.maxResults ?? 100, 100),
      ...(query.nextToken ? { cursor: query.nextToken } : {}),
    });
    return c.json({
      complianceInquiries: page.items.map((inquiry) => summary(c, inquiry)),
      ...(page.nextCursor ? { nextToken: page.nextCursor } : {}),
    });
  });

  app.get('/v1/compliance-inquiry/listQueries', async (c) => {
    const query = parseQuery(
      c,
      z.object({ complianceInquiryId: inquiryId, maxResults: maxResultsField, nextToken: nextTokenField }),
    );
    const page = await aboutInquiry(query.complianceInquiryId, () =>
      inquiries(c).queries(callerOf(c), {
        inquiryId: query.complianceInquiryId,
        limit: query.maxResults ?? 100,
        ...(query.nextToken ? { cursor: query.nextToken } : {}),
      }),
    );
    return c.json({
      queries: page.items.map((entry) => querySummary(c, entry)),
      ...(page.nextCursor ? { nextToken: page.nextCursor } : {}),
    });
  });

  app.put('/v1/compliance-inquiry/putFeedback', async (c) => {
    const body = await parseBody(c, z.object({ complianceInquiryId: inquiryId }).passthrough());
    const { complianceInquiryId, ...rest } = body;
    const feedback = await aboutInquiry(complianceInquiryId, () =>
      inquiries(c).feedback(callerOf(c), { ...(rest as object), inquiryId: complianceInquiryId } as Parameters<
        ReturnType<typeof inquiries>['feedback']
      >[1]),
    );
    return c.json({ submittedAt: feedback.submittedAt });
  });

  app.post('/v1/compliance-inquiry/export', async (c) => {
    const body = await parseBody(c, z.object({ complianceInquiryId: inquiryId }).passthrough());
    const { complianceInquiryId, ...rest } = body;
    const exported = await aboutInquiry(complianceInquiryId, () =>
      inquiries(c).export(
        callerOf(c),
        { ...(rest as object), inquiryId: complianceInquiryId } as Parameters<
          ReturnType<typeof inquiries>['export']
        >[1],
        reportLink(c),
      ),
    );
    return c.json({ documentPresignedUrl: exported.url, tags: exported.tags });
  });

  return app;
}
