import {
  type AcceptanceView,
  type Agreement,
  actorOf,
  agreementArn,
  agreementTypes,
  ValidationError,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { portalRoute } from '../route-definition.js';
import {
  authorizeFor,
  callerOf,
  json,
  jsonBody,
  originOf,
  pathParam,
  readProblems,
  writeProblems,
} from './agreements-support.js';

const anyAgreement = agreementArn('{orgId}', '*');
const thisAgreement = agreementArn('{orgId}', '{id}');
/** The gate asks about the caller's own account; the handler re-asks for another account or the org. */
const ownAccountAgreement = agreementArn('{orgId}', '{id}', '{accountId}');

const RevisionSchema = z
  .object({
    id: z.string(),
    sha256: z.string(),
    effectiveDate: z.string(),
    publishedAt: z.string(),
    format: z.enum(['markdown', 'pdf']),
  })
  .openapi('AgreementRevision');

const AgreementSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(agreementTypes),
    description: z.string(),
    subjects: z.array(z.enum(['account', 'organization'])),
    ndaRequired: z.boolean(),
    latestRevision: RevisionSchema.nullable(),
    revisions: z.array(RevisionSchema),
  })
  .openapi('Agreement');

const AcceptanceSchema = z
  .object({
    acceptanceId: z.string(),
    agreementId: z.string(),
    scope: z.enum(['account', 'organization']),
    accountId: z.string().optional(),
    revisionId: z.string(),
    sha256: z.string(),
    acceptedAt: z.string(),
    acceptedBy: z.object({ userId: z.string(), email: z.string(), accountId: z.string(), role: z.string().optional() }),
    sourceIp: z.string().optional(),
    userAgent: z.string().optional(),
    status: z.enum(['active', 'terminated', 'superseded']),
    endedAt: z.string().optional(),
    revisionOutdated: z.boolean(),
    latestRevisionId: z.string().optional(),
  })
  .openapi('AgreementAcceptance');

const scopeFields = {
  scope: z.enum(['account', 'organization']),
  accountId: z
    .string()
    .regex(/^\d{12}$/)
    .optional()
    .openapi({ description: 'Account scope: the account (default: the caller’s own)' }),
};
const AcceptBody = z.object({ ...scopeFields, revisionId: z.string().min(1).max(128) }).openapi('AcceptAgreement');
const TerminateBody = z.object(scopeFields).openapi('TerminateAgreement');
const CreateBody = z
  .object({
    name: z.string().min(1).max(200),
    type: z.enum(agreementTypes),
    description: z.string().max(4000).optional(),
    subjects: z
      .array(z.enum(['account', 'organization']))
      .min(1)
      .max(2),
    ndaText: z.string().min(1).max(100_000).optional().openapi({ description: 'Shown and accepted before the text' }),
  })
  .openapi('CreateAgreement');
const RevisionBody = z
  .object({
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    markdown: z.string().min(1).max(200_000).optional(),
    pdf: z
      .object({ blobKey: z.string().min(1).max(1024), sha256: z.string().regex(/^[0-9a-f]{64}$/) })
      .optional()
      .openapi({ description: 'A PDF already uploaded to the reports bucket' }),
  })
  .openapi('PublishAgreementRevision');

const idParams = z.object({ id: pathParam('id') });
const tags = ['Agreements'];

const routes = {
  list: portalRoute({
    method: 'get',
    path: '/agreements',
    tags,
    summary: 'Agreements in the catalog',
    authorization: { kind: 'action', action: 'portal:ListAgreements', resource: anyAgreement },
    responses: { 200: json('All agreements', z.object({ items: z.array(AgreementSchema) })), ...readProblems },
  }),
  get: portalRoute({
    method: 'get',
    path: '/agreements/{id}',
    tags,
    summary: 'One agreement with its revisions',
    authorization: { kind: 'action', action: 'portal:GetAgreement', resource: thisAgreement },
    request: { params: idParams },
    responses: { 200: json('The agreement', AgreementSchema), ...readProblems },
  }),
  create: portalRoute({
    method: 'post',
    path: '/agreements',
    tags,
    summary: 'Publish a new agreement (then add its first revision)',
    authorization: { kind: 'action', action: 'portal:PublishAgreement', resource: anyAgreement },
    request: jsonBody(CreateBody),
    responses: { 201: json('Created', AgreementSchema), ...writeProblems },
  }),
  publishRevision: portalRoute({
    method: 'post',
    path: '/agreements/{id}/revisions',
    tags,
    summary: 'Publish a new revision; existing acceptances become "revision outdated"',
    authorization: { kind: 'action', action: 'portal:PublishAgreement', resource: thisAgreement },
    request: { params: idParams, ...jsonBody(RevisionBody) },
    responses: { 201: json('Published', RevisionSchema), ...writeProblems },
  }),
  revision: portalRoute({
    method: 'get',
    path: '/agreements/{id}/revisions/{revisionId}',
    tags,
    summary: 'A revision’s text (after the NDA step when the agreement has one)',
    authorization: { kind: 'action', action: 'portal:GetAgreement', resource: thisAgreement },
    request: { params: z.object({ id: pathParam('id'), revisionId: pathParam('revisionId') }) },
    responses: {
      200: json(
        'The revision',
        RevisionSchema.extend({ markdown: z.string().optional(), blobKey: z.string().optional() }),
      ),
      ...readProblems,
    },
  }),
  nda: portalRoute({
    method: 'get',
    path: '/agreements/{id}/nda',
    tags,
    summary: 'The NDA to accept before the agreement’s text (GetNdaForAgreement)',
    authorization: { kind: 'action', action: 'portal:GetAgreement', resource: thisAgreement },
    request: { params: idParams },
    responses: {
      200: json(
        'The NDA step',
        z.object({
          required: z.boolean(),
          text: z.string().optional(),
          sha256: z.string().optional(),
          acceptedAt: z.string().optional(),
        }),
      ),
      ...readProblems,
    },
  }),
  acceptNda: portalRoute({
    method: 'post',
    path: '/agreements/{id}/nda/acceptances',
    tags,
    summary: 'Accept the NDA (names its sha256)',
    authorization: { kind: 'action', action: 'portal:GetAgreement', resource: thisAgreement },
    request: { params: idParams, ...jsonBody(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) })) },
    responses: { 201: json('Accepted', z.object({ acceptedAt: z.string() })), ...writeProblems },
  }),
  accept: portalRoute({
    method: 'post',
    path: '/agreements/{id}/acceptances',
    tags,
    summary: 'Accept the latest revision for one account or the whole organization (MFA required)',
    authorization: { kind: 'action', action: 'portal:AcceptAgreement', resource: ownAccountAgreement },
    request: { params: idParams, ...jsonBody(AcceptBody) },
    responses: { 201: json('The new acceptance', AcceptanceSchema), ...writeProblems },
  }),
  terminate: portalRoute({
    method: 'post',
    path: '/agreements/{id}/terminations',
    tags,
    summary: 'Terminate the active acceptance of one account or of the organization (MFA required)',
    authorization: { kind: 'action', action: 'portal:TerminateAgreement', resource: ownAccountAgreement },
    request: { params: idParams, ...jsonBody(TerminateBody) },
    responses: {
      201: json('Terminated', z.object({ acceptanceId: z.string(), terminatedAt: z.string() })),
      ...writeProblems,
    },
  }),
  history: portalRoute({
    method: 'get',
    path: '/agreements/{id}/acceptances',
    tags,
    summary: 'Every acceptance of this agreement by the organization, newest first',
    authorization: { kind: 'action', action: 'portal:GetAgreement', resource: thisAgreement },
    request: { params: idParams },
    responses: { 200: json('The history', z.object({ items: z.array(AcceptanceSchema) })), ...readProblems },
  }),
  acceptance: portalRoute({
    method: 'get',
    path: '/agreements/{id}/acceptances/{acceptanceId}',
    tags,
    summary: 'One acceptance (another organization’s id answers 404)',
    authorization: { kind: 'action', action: 'portal:GetAgreement', resource: thisAgreement },
    request: { params: z.object({ id: pathParam('id'), acceptanceId: pathParam('acceptanceId') }) },
    responses: { 200: json('The acceptance', AcceptanceSchema), ...readProblems },
  }),
};

function present(agreement: Agreement) {
  const revision = (r: Agreement['revisions'][number]) => ({
    id: r.revisionId,
    sha256: r.sha256,
    effectiveDate: r.effectiveDate,
    publishedAt: r.publishedAt,
    format: r.format,
  });
  return {
    id: agreement.agreementId,
    name: agreement.name,
    type: agreement.type,
    description: agreement.description,
    subjects: agreement.subjects,
    ndaRequired: agreement.ndaRequired,
    latestRevision: agreement.latestRevision ? revision(agreement.latestRevision) : null,
    revisions: agreement.revisions.map(revision),
  };
}

function presentAcceptance(view: AcceptanceView): z.infer<typeof AcceptanceSchema> {
  return {
    acceptanceId: view.acceptanceId,
    agreementId: view.agreementId,
    scope: view.scope,
    accountId: view.accountId,
    revisionId: view.revisionId,
    sha256: view.sha256,
    acceptedAt: view.acceptedAt,
    acceptedBy: {
      userId: view.acceptedBy.userId,
      email: view.acceptedBy.email,
      accountId: view.acceptedBy.accountId,
      role: view.acceptedBy.role,
    },
    sourceIp: view.sourceIp,
    userAgent: view.userAgent,
    status: view.status,
    endedAt: view.endedAt,
    revisionOutdated: view.revisionOutdated,
    latestRevisionId: view.latestRevisionId,
  };
}

/** Re-asks `authorize` for the resource the body names when it is not the caller's own account. */
async function authorizeScope(
  c: Parameters<typeof authorizeFor>[0],
  action: 'portal:AcceptAgreement' | 'portal:TerminateAgreement',
  agreementId: string,
  body: { scope: 'account' | 'organization'; accountId?: string | undefined },
) {
  const principal = callerOf(c);
  if (body.scope === 'organization') {
    if (body.accountId !== undefined) {
      throw new ValidationError('Invalid scope', [
        { path: 'body.accountId', message: 'omit it for organization scope' },
      ]);
    }
    await authorizeFor(c, action, agreementArn(principal.orgId, agreementId));
  } else if (body.accountId !== undefined && body.accountId !== principal.accountId) {
    await authorizeFor(c, action, agreementArn(principal.orgId, agreementId, body.accountId));
  }
}

const publisherOf = (c: Parameters<typeof callerOf>[0]) => {
  const principal = callerOf(c);
  return { orgId: principal.orgId, actor: actorOf(principal) };
};

export function agreementRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.list, async (c) => {
    const items = await c.get('deps').agreements.list();
    return c.json({ items: items.map(present) }, 200);
  });
  app.openapi(routes.get, async (c) =>
    c.json(present(await c.get('deps').agreements.get(c.req.valid('param').id)), 200),
  );
  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json');
    const agreement = await c.get('deps').agreements.createAgreement(
      {
        name: body.name,
        type: body.type,
        subjects: body.subjects,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.ndaText !== undefined ? { ndaText: body.ndaText } : {}),
      },
      publisherOf(c),
    );
    return c.json(present(agreement), 201);
  });
  app.openapi(routes.publishRevision, async (c) => {
    const body = c.req.valid('json');
    const revision = await c.get('deps').agreements.publishRevision(
      c.req.valid('param').id,
      {
        effectiveDate: body.effectiveDate,
        ...(body.markdown !== undefined ? { markdown: body.markdown } : {}),
        ...(body.pdf !== undefined ? { pdf: body.pdf } : {}),
      },
      publisherOf(c),
    );
    const { revisionId, ...rest } = revision;
    return c.json({ id: revisionId, ...rest }, 201);
  });
  app.openapi(routes.revision, async (c) => {
    const { id, revisionId } = c.req.valid('param');
    const { revisionId: rid, ...rest } = await c.get('deps').agreements.revisionText(id, revisionId, callerOf(c));
    return c.json({ id: rid, ...rest }, 200);
  });
  app.openapi(routes.nda, async (c) =>
    c.json(await c.get('deps').agreements.nda(c.req.valid('param').id, callerOf(c)), 200),
  );
  app.openapi(routes.acceptNda, async (c) => {
    const result = await c
      .get('deps')
      .agreements.acceptNda(c.req.valid('param').id, c.req.valid('json').sha256, callerOf(c), originOf(c));
    return c.json(result, 201);
  });
  app.openapi(routes.accept, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    await authorizeScope(c, 'portal:AcceptAgreement', id, body);
    const acceptance = await c
      .get('deps')
      .agreements.accept(
        id,
        { scope: body.scope, revisionId: body.revisionId, ...(body.accountId ? { accountId: body.accountId } : {}) },
        callerOf(c),
        originOf(c),
      );
    return c.json(presentAcceptance(acceptance), 201);
  });
  app.openapi(routes.terminate, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    await authorizeScope(c, 'portal:TerminateAgreement', id, body);
    const result = await c
      .get('deps')
      .agreements.terminate(
        id,
        { scope: body.scope, ...(body.accountId ? { accountId: body.accountId } : {}) },
        callerOf(c),
        originOf(c),
      );
    return c.json(result, 201);
  });
  app.openapi(routes.history, async (c) => {
    const items = await c.get('deps').agreements.history(callerOf(c).orgId, c.req.valid('param').id);
    return c.json({ items: items.map(presentAcceptance) }, 200);
  });
  app.openapi(routes.acceptance, async (c) => {
    const { id, acceptanceId } = c.req.valid('param');
    return c.json(
      presentAcceptance(await c.get('deps').agreements.acceptance(callerOf(c).orgId, id, acceptanceId)),
      200,
    );
  });
  return app;
}
