import {
  acceptBody,
  acceptNdaBody,
  agreementArn,
  createAgreementInput,
  publishRevisionBody,
  terminateBody,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { askedByUseCase, portalRoute } from '../../route-definition.js';
import { callUseCase, ItemsOf, json, jsonBody, pathParam } from '../../route-kit.js';
import {
  AcceptanceSchema,
  AgreementSchema,
  NdaSchema,
  presentAcceptance,
  presentAgreement,
  presentNda,
  presentRevision,
  presentRevisionText,
  presentTermination,
  RevisionSchema,
  RevisionTextSchema,
  TerminationSchema,
} from './agreement-presenters.js';
import { readProblems, writeProblems } from './agreement-problems.js';

// Each route: reuse the use case's input schema, call the use case, present its result. The use
// case asks `authorize` for the exact resource it touches; the declaration documents that question.
const anyAgreement = agreementArn('{orgId}', '*');
const thisAgreement = agreementArn('{orgId}', '{id}');
/** Accept/terminate ask about the account the body names (default: the caller's), or the organization (empty account). */
const targetedAgreement = agreementArn('{orgId}', '{id}', '{accountId}');

const idParams = z.object({ id: pathParam('id') });
const fromPath = { path: { agreementId: 'id' }, rest: 'body' } as const;
const tags = ['Agreements'];

const routes = {
  list: portalRoute({
    method: 'get',
    path: '/agreements',
    tags,
    summary: 'Agreements in the catalog',
    authorization: askedByUseCase('portal:ListAgreements', anyAgreement),
    responses: { 200: json('All agreements', ItemsOf(AgreementSchema)), ...readProblems },
  }),
  get: portalRoute({
    method: 'get',
    path: '/agreements/{id}',
    tags,
    summary: 'One agreement with its revisions',
    authorization: askedByUseCase('portal:GetAgreement', thisAgreement),
    request: { params: idParams },
    responses: { 200: json('The agreement', AgreementSchema), ...readProblems },
  }),
  create: portalRoute({
    method: 'post',
    path: '/agreements',
    tags,
    summary: 'Publish a new agreement (then add its first revision)',
    authorization: askedByUseCase('portal:PublishAgreement', anyAgreement),
    request: jsonBody(createAgreementInput.omit({ agreementId: true }).meta({ id: 'CreateAgreement' })),
    responses: { 201: json('Created', AgreementSchema), ...writeProblems },
  }),
  publishRevision: portalRoute({
    method: 'post',
    path: '/agreements/{id}/revisions',
    tags,
    summary: 'Publish a new revision; existing acceptances become "revision outdated"',
    authorization: askedByUseCase('portal:PublishAgreement', thisAgreement),
    request: { params: idParams, ...jsonBody(publishRevisionBody.meta({ id: 'PublishAgreementRevision' })) },
    responses: { 201: json('Published', RevisionSchema), ...writeProblems },
  }),
  revision: portalRoute({
    method: 'get',
    path: '/agreements/{id}/revisions/{revisionId}',
    tags,
    summary: 'A revision’s text (after the NDA step when the agreement has one)',
    authorization: askedByUseCase('portal:GetAgreement', thisAgreement),
    request: { params: z.object({ id: pathParam('id'), revisionId: pathParam('revisionId') }) },
    responses: { 200: json('The revision', RevisionTextSchema), ...readProblems },
  }),
  nda: portalRoute({
    method: 'get',
    path: '/agreements/{id}/nda',
    tags,
    summary: 'The NDA to accept before the agreement’s text (GetNdaForAgreement)',
    authorization: askedByUseCase('portal:GetAgreement', thisAgreement),
    request: { params: idParams },
    responses: { 200: json('The NDA step', NdaSchema), ...readProblems },
  }),
  acceptNda: portalRoute({
    method: 'post',
    path: '/agreements/{id}/nda/acceptances',
    tags,
    summary: 'Accept the NDA (names its sha256)',
    authorization: askedByUseCase('portal:AcceptAgreement', agreementArn('{orgId}', '{id}', '{accountId}')),
    request: { params: idParams, ...jsonBody(acceptNdaBody.meta({ id: 'AcceptAgreementNda' })) },
    responses: { 201: json('Accepted', z.object({ acceptedAt: z.string() })), ...writeProblems },
  }),
  accept: portalRoute({
    method: 'post',
    path: '/agreements/{id}/acceptances',
    tags,
    summary: 'Accept the latest revision for one account or the whole organization (MFA required)',
    authorization: askedByUseCase('portal:AcceptAgreement', targetedAgreement),
    request: { params: idParams, ...jsonBody(acceptBody.meta({ id: 'AcceptAgreement' })) },
    responses: { 201: json('The new acceptance', AcceptanceSchema), ...writeProblems },
  }),
  terminate: portalRoute({
    method: 'post',
    path: '/agreements/{id}/terminations',
    tags,
    summary: 'Terminate the active acceptance of one account or of the organization (MFA required)',
    authorization: askedByUseCase('portal:TerminateAgreement', targetedAgreement),
    request: { params: idParams, ...jsonBody(terminateBody.meta({ id: 'TerminateAgreement' })) },
    responses: { 201: json('Terminated', TerminationSchema), ...writeProblems },
  }),
  history: portalRoute({
    method: 'get',
    path: '/agreements/{id}/acceptances',
    tags,
    summary: 'Every acceptance of this agreement by the organization, newest first',
    authorization: askedByUseCase('portal:GetAgreement', thisAgreement),
    request: { params: idParams },
    responses: { 200: json('The history', ItemsOf(AcceptanceSchema)), ...readProblems },
  }),
  acceptance: portalRoute({
    method: 'get',
    path: '/agreements/{id}/acceptances/{acceptanceId}',
    tags,
    summary: 'One acceptance (another organization’s id answers 404)',
    authorization: askedByUseCase('portal:GetAgreement', thisAgreement),
    request: { params: z.object({ id: pathParam('id'), acceptanceId: pathParam('acceptanceId') }) },
    responses: { 200: json('The acceptance', AcceptanceSchema), ...readProblems },
  }),
};

export function agreementRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const agreements = (c: { get(key: 'deps'): AppEnv['Variables']['deps'] }) => c.get('deps').agreements;

  app.openapi(routes.list, async (c) => {
    const items = await callUseCase(c, fromPath, (caller) => agreements(c).list(caller));
    return c.json({ items: items.map(presentAgreement) }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param');
    const agreement = await callUseCase(c, fromPath, (caller) => agreements(c).get(caller, { agreementId: id }));
    return c.json(presentAgreement(agreement), 200);
  });
  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json');
    const agreement = await callUseCase(c, fromPath, (caller) => agreements(c).create(caller, body));
    return c.json(presentAgreement(agreement), 201);
  });
  app.openapi(routes.publishRevision, async (c) => {
    const input = { agreementId: c.req.valid('param').id, ...c.req.valid('json') };
    const revision = await callUseCase(c, fromPath, (caller) => agreements(c).publishRevision(caller, input));
    return c.json(presentRevision(revision), 201);
  });
  app.openapi(routes.revision, async (c) => {
    const { id, revisionId } = c.req.valid('param');
    const where = { path: { agreementId: 'id', revisionId: 'revisionId' }, rest: 'body' } as const;
    const revision = await callUseCase(c, where, (caller) =>
      agreements(c).revisionText(caller, { agreementId: id, revisionId }),
    );
    return c.json(presentRevisionText(revision), 200);
  });
  app.openapi(routes.nda, async (c) => {
    const { id } = c.req.valid('param');
    const step = await callUseCase(c, fromPath, (caller) => agreements(c).nda(caller, { agreementId: id }));
    return c.json(presentNda(step), 200);
  });
  app.openapi(routes.acceptNda, async (c) => {
    const input = { agreementId: c.req.valid('param').id, ...c.req.valid('json') };
    const result = await callUseCase(c, fromPath, (caller) => agreements(c).acceptNda(caller, input));
    return c.json({ acceptedAt: result.acceptedAt }, 201);
  });
  app.openapi(routes.accept, async (c) => {
    const input = { agreementId: c.req.valid('param').id, ...c.req.valid('json') };
    const acceptance = await callUseCase(c, fromPath, (caller) => agreements(c).accept(caller, input));
    return c.json(presentAcceptance(acceptance), 201);
  });
  app.openapi(routes.terminate, async (c) => {
    const input = { agreementId: c.req.valid('param').id, ...c.req.valid('json') };
    const termination = await callUseCase(c, fromPath, (caller) => agreements(c).terminate(caller, input));
    return c.json(presentTermination(termination), 201);
  });
  app.openapi(routes.history, async (c) => {
    const { id } = c.req.valid('param');
    const items = await callUseCase(c, fromPath, (caller) => agreements(c).history(caller, { agreementId: id }));
    return c.json({ items: items.map(presentAcceptance) }, 200);
  });
  app.openapi(routes.acceptance, async (c) => {
    const { id, acceptanceId } = c.req.valid('param');
    const where = { path: { agreementId: 'id', acceptanceId: 'acceptanceId' }, rest: 'body' } as const;
    const view = await callUseCase(c, where, (caller) =>
      agreements(c).acceptance(caller, { agreementId: id, acceptanceId }),
    );
    return c.json(presentAcceptance(view), 200);
  });
  return app;
}
