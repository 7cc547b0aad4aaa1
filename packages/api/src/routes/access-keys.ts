import { type AccessKey, identityErrors, updateAccessKeyBody, userArn } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { askedByUseCase, portalRoute } from '../route-definition.js';
import { callUseCase, ItemsOf, json, jsonBody } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([identityErrors]);
const problems = {
  400: problem(400, 'Invalid input'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed, or MFA needed (`access_key_mfa_required`)'),
  404: problem(404, 'No such key of yours'),
  409: problem(409, 'Two keys already (`access_key_limit_exceeded`), or a concurrent change'),
};
const tags = ['Access keys'];
/** The key owner is the caller: the use case asks about the caller's own user. */
const ownUser = userArn('{orgId}', '{userId}');

export const AccessKeySchema = z
  .object({
    accessKeyId: z.string(),
    status: z.enum(['Active', 'Inactive']),
    createdAt: z.string(),
    lastUsedAt: z.string().optional(),
    lastUsedService: z.string().optional(),
  })
  .openapi('AccessKey');

export const presentAccessKey = (key: AccessKey): z.infer<typeof AccessKeySchema> => ({
  accessKeyId: key.accessKeyId,
  status: key.status,
  createdAt: key.createdAt,
  ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
  ...(key.lastUsedService ? { lastUsedService: key.lastUsedService } : {}),
});

const keyParams = z.object({
  accessKeyId: z
    .string()
    .regex(/^AKIA[A-Z2-7]{16}$/, 'an access key id (AKIA…)')
    .openapi({ param: { name: 'accessKeyId', in: 'path' }, example: 'AKIAIOSFODNN7EXAMPLE' }),
});

const routes = {
  list: portalRoute({
    method: 'get',
    path: '/me/access-keys',
    tags,
    summary: 'Your access keys (SigV4 credentials for the Artifact API), with when each was last used',
    authorization: askedByUseCase('portal:ListAccessKeys', ownUser),
    responses: { 200: json('Your keys', ItemsOf(AccessKeySchema)), ...problems },
  }),
  create: portalRoute({
    method: 'post',
    path: '/me/access-keys',
    tags,
    summary: 'Create an access key; the secret is in this answer only',
    description:
      'At most two keys per user. Needs a session that passed MFA when you have MFA. The secret is never shown again ' +
      '(it is stored encrypted with the data key). Sign Artifact API requests with it (docs/artifact-api.md).',
    authorization: askedByUseCase('portal:CreateAccessKey', ownUser),
    request: jsonBody(z.object({}).strict().openapi('CreateAccessKey')),
    responses: {
      201: json(
        'The new key with its secret (shown once)',
        AccessKeySchema.extend({ secretAccessKey: z.string() }).openapi('CreatedAccessKey'),
      ),
      ...problems,
    },
  }),
  update: portalRoute({
    method: 'patch',
    path: '/me/access-keys/{accessKeyId}',
    tags,
    summary: 'Activate or deactivate one of your keys (deactivation refuses its next request)',
    authorization: askedByUseCase('portal:UpdateAccessKey', ownUser),
    request: { params: keyParams, ...jsonBody(updateAccessKeyBody.meta({ id: 'UpdateAccessKey' })) },
    responses: { 200: json('The key', AccessKeySchema), ...problems },
  }),
  delete: portalRoute({
    method: 'delete',
    path: '/me/access-keys/{accessKeyId}',
    tags,
    summary: 'Delete one of your keys',
    authorization: askedByUseCase('portal:DeleteAccessKey', ownUser),
    request: { params: keyParams },
    responses: { 204: { description: 'Deleted' }, ...problems },
  }),
};

const fromPath = { path: { accessKeyId: 'accessKeyId' }, rest: 'body' } as const;

export function accessKeyRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.list, async (c) => {
    const keys = await callUseCase(c, { rest: 'query' }, (caller) => c.get('deps').accessKeys.list(caller, {}));
    return c.json({ items: keys.map(presentAccessKey) }, 200);
  });
  app.openapi(routes.create, async (c) => {
    const created = await callUseCase(c, { rest: 'body' }, (caller) => c.get('deps').accessKeys.create(caller, {}));
    return c.json({ ...presentAccessKey(created.accessKey), secretAccessKey: created.secretAccessKey }, 201);
  });
  app.openapi(routes.update, async (c) => {
    const { accessKeyId } = c.req.valid('param');
    const key = await callUseCase(c, fromPath, (caller) =>
      c.get('deps').accessKeys.update(caller, { accessKeyId, status: c.req.valid('json').status }),
    );
    return c.json(presentAccessKey(key), 200);
  });
  app.openapi(routes.delete, async (c) => {
    const { accessKeyId } = c.req.valid('param');
    await callUseCase(c, fromPath, (caller) => c.get('deps').accessKeys.delete(caller, { accessKeyId }));
    return c.body(null, 204);
  });
  return app;
}
