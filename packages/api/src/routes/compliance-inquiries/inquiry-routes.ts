import {
  accessErrors,
  answerQueryBody,
  commonErrors,
  complianceInquiryArn,
  createInquiryInput,
  exportInquiryBody,
  feedbackFields,
  inquiryErrors,
  listQueriesInput,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { PageOf, PageQuery, pageOptions, presentPage } from '../../pagination.js';
import { askedByUseCase, portalRoute } from '../../route-definition.js';
import { callUseCase, json, jsonBody, pathParam } from '../../route-kit.js';
import { problemsFor } from '../../schemas.js';
import {
  ExportSchema,
  InquirySchema,
  presentInquiry,
  presentQuery,
  presentReviewItem,
  QuerySchema,
  ReviewItemSchema,
} from './inquiry-presenters.js';

const problem = problemsFor([commonErrors, accessErrors, inquiryErrors]);
const problems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the detail says why)'),
  404: problem(404, 'No such inquiry in this organization'),
};
const tags = ['Compliance inquiries'];
const idParams = z.object({ id: pathParam('id') });
const reviewParams = z.object({ orgId: pathParam('orgId'), id: pathParam('id') });
const answerParams = reviewParams.extend({ queryIdentifier: pathParam('queryIdentifier') });
const thisInquiry = complianceInquiryArn('{orgId}', '{id}');
const anyInquiry = complianceInquiryArn('{orgId}', '*');
const byId = { path: { inquiryId: 'id' }, rest: 'body' } as const;
const byIdQuery = { path: { inquiryId: 'id' }, rest: 'query' } as const;
const review = { path: { orgId: 'orgId', inquiryId: 'id', queryIdentifier: 'queryIdentifier' }, rest: 'body' } as const;

const routes = {
  create: portalRoute({
    method: 'post',
    path: '/compliance-inquiries',
    tags,
    summary: 'Ask a question, or upload a CSV or plain-text questionnaire, answered from the report catalog',
    description:
      'Answers are retrieval over the published reports the caller may read (`portal:GetReport`), with citations; ' +
      'they are not AI-generated, so `reviewType` is absent. `supportMode: FULL_SUPPORT` (files only) puts every query ' +
      'in the portal operator’s human review. `tags` are written with the inquiry (asked as `portal:TagResource`).',
    authorization: askedByUseCase('portal:CreateComplianceInquiry', anyInquiry),
    request: jsonBody(createInquiryInput.meta({ id: 'CreateComplianceInquiry' })),
    responses: {
      201: json('The inquiry, answered (or in human review)', InquirySchema),
      ...problems,
      409: problem(409, 'The clientToken was used with a different input'),
    },
  }),
  list: portalRoute({
    method: 'get',
    path: '/compliance-inquiries',
    tags,
    summary: "The organization's compliance inquiries, newest first",
    authorization: askedByUseCase('portal:ListComplianceInquiries', anyInquiry),
    request: { query: PageQuery },
    responses: { 200: json('A page of inquiries', PageOf(InquirySchema)), ...problems },
  }),
  get: portalRoute({
    method: 'get',
    path: '/compliance-inquiries/{id}',
    tags,
    summary: 'One inquiry, with its tags',
    authorization: askedByUseCase('portal:GetComplianceInquiry', thisInquiry),
    request: { params: idParams },
    responses: { 200: json('The inquiry', InquirySchema), ...problems },
  }),
  queries: portalRoute({
    method: 'get',
    path: '/compliance-inquiries/{id}/queries',
    tags,
    summary: "An inquiry's queries in order, with answers, citations and your ratings",
    authorization: askedByUseCase('portal:GetComplianceInquiry', thisInquiry),
    request: { params: idParams, query: listQueriesInput.omit({ inquiryId: true }) },
    responses: { 200: json('A page of queries', PageOf(QuerySchema)), ...problems },
  }),
  feedback: portalRoute({
    method: 'post',
    path: '/compliance-inquiries/{id}/feedback',
    tags,
    summary: 'Rate an answer (thumbs up or down); a stale responseRevisionId is refused',
    authorization: askedByUseCase('portal:PutComplianceInquiryFeedback', thisInquiry),
    request: { params: idParams, ...jsonBody(z.object(feedbackFields).meta({ id: 'ComplianceInquiryFeedback' })) },
    responses: {
      201: json(
        'Recorded',
        z.object({ feedbackId: z.string(), submittedAt: z.string() }).openapi('ComplianceInquiryFeedbackReceipt'),
      ),
      ...problems,
      409: problem(409, 'The answer changed (stale revision), it has no answer yet, or the clientToken was reused'),
    },
  }),
  export: portalRoute({
    method: 'post',
    path: '/compliance-inquiries/{id}/exports',
    tags,
    summary: 'Export the chosen queries and answers (and citations) as a PDF behind a short-lived URL',
    authorization: askedByUseCase('portal:ExportComplianceInquiry', thisInquiry),
    request: { params: idParams, ...jsonBody(exportInquiryBody.meta({ id: 'ExportComplianceInquiry' })) },
    responses: { 201: json('The PDF', ExportSchema), ...problems },
  }),
  reviewQueue: portalRoute({
    method: 'get',
    path: '/compliance-inquiry-reviews',
    tags,
    summary: 'The portal operator’s human-review queue: inquiries of every organization, oldest first',
    authorization: askedByUseCase('portal:AnswerComplianceInquiry', complianceInquiryArn('*', '*')),
    request: { query: PageQuery },
    responses: { 200: json('A page of inquiries in review', PageOf(ReviewItemSchema)), ...problems },
  }),
  review: portalRoute({
    method: 'get',
    path: '/compliance-inquiry-reviews/{orgId}/{id}',
    tags,
    summary: 'A FULL_SUPPORT inquiry with all its queries, for the operator to answer',
    authorization: askedByUseCase('portal:AnswerComplianceInquiry', complianceInquiryArn('{path.orgId}', '{id}')),
    request: { params: reviewParams },
    responses: {
      200: json(
        'The inquiry and its queries',
        z.object({ inquiry: ReviewItemSchema, queries: z.array(QuerySchema) }).openapi('ComplianceInquiryReviewDetail'),
      ),
      ...problems,
      409: problem(409, 'The inquiry did not ask for human review'),
    },
  }),
  answer: portalRoute({
    method: 'post',
    path: '/compliance-inquiry-reviews/{orgId}/{id}/queries/{queryIdentifier}/answer',
    tags,
    summary: 'The operator answers one query (a new response revision; reviewType HUMAN)',
    authorization: askedByUseCase('portal:AnswerComplianceInquiry', complianceInquiryArn('{path.orgId}', '{id}')),
    request: { params: answerParams, ...jsonBody(answerQueryBody.meta({ id: 'AnswerComplianceInquiryQuery' })) },
    responses: {
      200: json(
        'The query answered, and the inquiry',
        z.object({ inquiry: ReviewItemSchema, query: QuerySchema }).openapi('ComplianceInquiryAnswer'),
      ),
      ...problems,
      409: problem(409, 'Not a FULL_SUPPORT inquiry, a failed query, or too many versions'),
    },
  }),
};

export function complianceInquiryRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const inquiries = (c: { get(key: 'deps'): AppEnv['Variables']['deps'] }) => c.get('deps').inquiries;

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json');
    const created = await callUseCase(c, byId, (caller) => inquiries(c).create(caller, body));
    return c.json(presentInquiry(created.inquiry, created.tags), 201, {
      Location: `/api/compliance-inquiries/${created.inquiry.id}`,
    });
  });
  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const page = await callUseCase(c, byIdQuery, (caller) => inquiries(c).list(caller, pageOptions(query)));
    return c.json(
      presentPage(page, (inquiry) => presentInquiry(inquiry)),
      200,
    );
  });
  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param');
    const { inquiry, tags: stored } = await callUseCase(c, byId, (caller) =>
      inquiries(c).get(caller, { inquiryId: id }),
    );
    return c.json(presentInquiry(inquiry, stored), 200);
  });
  app.openapi(routes.queries, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const page = await callUseCase(c, byIdQuery, (caller) =>
      inquiries(c).queries(caller, {
        inquiryId: id,
        limit: query.limit,
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      }),
    );
    return c.json(
      {
        items: page.items.map((entry) => presentQuery(entry, page.myRatings[entry.queryIdentifier])),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
      200,
    );
  });
  app.openapi(routes.feedback, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const receipt = await callUseCase(c, byId, (caller) => inquiries(c).feedback(caller, { ...body, inquiryId: id }));
    return c.json({ feedbackId: receipt.feedbackId, submittedAt: receipt.submittedAt }, 201);
  });
  app.openapi(routes.export, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const exported = await callUseCase(c, byId, (caller) =>
      inquiries(c).export(caller, { ...body, inquiryId: id }, (reportId) => `/reports/${encodeURIComponent(reportId)}`),
    );
    return c.json(
      {
        exportId: exported.exportId,
        url: exported.url,
        sha256: exported.sha256,
        size: exported.size,
        expiresInSeconds: exported.expiresInSeconds,
        tags: exported.tags,
      },
      201,
    );
  });
  app.openapi(routes.reviewQueue, async (c) => {
    const query = c.req.valid('query');
    const page = await callUseCase(c, byIdQuery, (caller) => inquiries(c).reviewQueue(caller, pageOptions(query)));
    return c.json(presentPage(page, presentReviewItem), 200);
  });
  app.openapi(routes.review, async (c) => {
    const { orgId, id } = c.req.valid('param');
    const detail = await callUseCase(c, review, (caller) => inquiries(c).review(caller, { orgId, inquiryId: id }));
    return c.json(
      { inquiry: presentReviewItem(detail.inquiry), queries: detail.queries.map((entry) => presentQuery(entry)) },
      200,
    );
  });
  app.openapi(routes.answer, async (c) => {
    const { orgId, id, queryIdentifier } = c.req.valid('param');
    const body = c.req.valid('json');
    const answered = await callUseCase(c, review, (caller) =>
      inquiries(c).answer(caller, { ...body, orgId, inquiryId: id, queryIdentifier }),
    );
    return c.json({ inquiry: presentReviewItem(answered.inquiry), query: presentQuery(answered.query) }, 200);
  });
  return app;
}
