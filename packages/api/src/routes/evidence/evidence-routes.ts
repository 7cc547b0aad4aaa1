import { Readable } from 'node:stream';
import {
  accessErrors,
  commonErrors,
  evidenceBundleArn,
  evidenceErrors,
  requestExportInput,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { askedByUseCase, portalRoute } from '../../route-definition.js';
import { callUseCase, ItemsOf, json, jsonBody, pathParam } from '../../route-kit.js';
import { problemsFor } from '../../schemas.js';
import { EvidenceBundleSchema, presentBundle } from './evidence-presenters.js';

const problem = problemsFor([commonErrors, accessErrors, evidenceErrors]);
const readProblems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the detail says why)'),
  404: problem(404, 'No such bundle in this organization'),
};

const tags = ['Evidence bundles'];
const idParams = z.object({ id: pathParam('id') });
const fromPath = { path: { bundleId: 'id' }, rest: 'body' } as const;
/** The use case asks about each account the bundle covers (the caller's own when it names none). */
const requestedBundle = evidenceBundleArn('{orgId}', '{accountId}', '*');
const thisBundle = evidenceBundleArn('{orgId}', '{accountId}', '{id}');

/** Stages whose API streams downloads itself; deployed stages redirect to S3. */
const streamingStages = new Set(['local', 'test']);

const routes = {
  request: portalRoute({
    method: 'post',
    path: '/evidence-bundles',
    tags,
    summary: 'Request a signed, encrypted evidence bundle (built by the export job)',
    authorization: askedByUseCase('portal:ExportEvidence', requestedBundle),
    request: jsonBody(requestExportInput.meta({ id: 'RequestEvidenceBundle' })),
    responses: {
      202: json('Queued: poll the bundle for its progress', EvidenceBundleSchema),
      ...readProblems,
      409: problem(409, 'Conflicts with the current state (the ledger range is not signed yet, ...)'),
      429: problem(429, 'Too many exports by this principal: retry after `Retry-After` seconds'),
    },
  }),
  list: portalRoute({
    method: 'get',
    path: '/evidence-bundles',
    tags,
    summary: "The organization's exports, newest first (who, when, purpose, size, recipients)",
    authorization: askedByUseCase('portal:ListEvidenceBundles', evidenceBundleArn('{orgId}', '{accountId}', '*')),
    responses: { 200: json('The exports', ItemsOf(EvidenceBundleSchema)), ...readProblems },
  }),
  get: portalRoute({
    method: 'get',
    path: '/evidence-bundles/{id}',
    tags,
    summary: "A bundle's state and progress (files and bytes done)",
    authorization: askedByUseCase('portal:GetEvidenceBundle', thisBundle),
    request: { params: idParams },
    responses: { 200: json('The bundle', EvidenceBundleSchema), ...readProblems },
  }),
  download: portalRoute({
    method: 'get',
    path: '/evidence-bundles/{id}/download',
    tags,
    summary: 'The encrypted bundle file (streamed locally; in AWS a redirect to a short-lived URL)',
    authorization: askedByUseCase('portal:DownloadEvidenceBundle', thisBundle),
    request: { params: idParams },
    responses: {
      200: {
        description: 'The bundle (AWS Encryption SDK message)',
        content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      302: { description: 'Redirect to a short-lived URL of the bundle (AWS)' },
      ...readProblems,
      409: problem(409, 'Not ready yet, or it failed'),
    },
  }),
};

export function evidenceRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const evidence = (c: { get(key: 'deps'): AppEnv['Variables']['deps'] }) => c.get('deps').evidence;

  app.openapi(routes.request, async (c) => {
    const body = c.req.valid('json');
    const bundle = await callUseCase(c, fromPath, (caller) => evidence(c).request(caller, body));
    return c.json(presentBundle(bundle), 202, { Location: `/api/evidence-bundles/${bundle.bundleId}` });
  });
  app.openapi(routes.list, async (c) => {
    const items = await callUseCase(c, fromPath, (caller) => evidence(c).list(caller));
    return c.json({ items: items.map(presentBundle) }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param');
    const bundle = await callUseCase(c, fromPath, (caller) => evidence(c).get(caller, { bundleId: id }));
    return c.json(presentBundle(bundle), 200);
  });
  app.openapi(routes.download, async (c) => {
    const { id } = c.req.valid('param');
    const download = await callUseCase(c, fromPath, (caller) => evidence(c).download(caller, { bundleId: id }));
    if (!streamingStages.has(c.get('deps').settings.stage)) return c.redirect(await download.presign(), 302);
    const blob = await download.open();
    return c.body(Readable.toWeb(blob.body) as ReadableStream<Uint8Array>, 200, {
      'Content-Type': 'application/octet-stream',
      ...(blob.contentLength !== undefined ? { 'Content-Length': String(blob.contentLength) } : {}),
      'Content-Disposition': `attachment; filename="${download.filename}"`,
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
