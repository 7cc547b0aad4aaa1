import { actorOf, publisherArn } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { portalRoute } from '../route-definition.js';
import { json, jsonBody, principalOf, reportWriteProblems } from './reports-schemas.js';

const manage = (resource: string) => ({
  kind: 'action' as const,
  action: 'portal:ManagePublishers' as const,
  resource,
});
const orgIdParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'not an organization id')
  .openapi({ param: { name: 'orgId', in: 'path' }, example: 'o-01JQ4X9M2K8D7F6E5C4B3A2Z1Y' });
const PublisherGrantSchema = z
  .object({
    orgId: z.string(),
    operator: z.boolean(),
    companies: z.array(z.string()),
  })
  .openapi('PublisherGrant');
const present = (grant: { orgId: string; operator: boolean; companies: string[] }) => ({
  orgId: grant.orgId,
  operator: grant.operator,
  companies: grant.companies,
});

const routes = {
  list: portalRoute({
    method: 'get',
    path: '/publishers',
    tags: ['Reports publishing'],
    summary: 'Publisher grants (portal operator organization only)',
    authorization: manage(publisherArn('{orgId}', '*')),
    responses: { 200: json('Every grant', z.object({ items: z.array(PublisherGrantSchema) })), ...reportWriteProblems },
  }),
  grant: portalRoute({
    method: 'put',
    path: '/publishers/{orgId}',
    tags: ['Reports publishing'],
    summary: 'Make an organization a publisher: the operator, or a vendor for its own companies (operator only)',
    authorization: manage(publisherArn('{orgId}', '{orgId}')),
    request: {
      params: z.object({ orgId: orgIdParam }),
      ...jsonBody(
        z
          .object({
            operator: z.boolean().default(false),
            companies: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
          })
          .strict()
          .refine((grant) => grant.operator || grant.companies.length > 0, {
            message: 'a vendor grant names at least one company',
            path: ['companies'],
          })
          .openapi('NewPublisherGrant'),
      ),
    },
    responses: { 200: json('The grant', PublisherGrantSchema), ...reportWriteProblems },
  }),
  revoke: portalRoute({
    method: 'delete',
    path: '/publishers/{orgId}',
    tags: ['Reports publishing'],
    summary: "Revoke an organization's publisher grant (operator only; published reports stay)",
    authorization: manage(publisherArn('{orgId}', '{orgId}')),
    request: { params: z.object({ orgId: orgIdParam }) },
    responses: { 204: { description: 'Revoked' }, ...reportWriteProblems },
  }),
};

/** Operator-only administration of who may publish to the global catalog. */
export function publisherRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.list, async (c) => {
    const items = await c.get('deps').reports.publishers.list(principalOf(c).orgId);
    return c.json({ items: items.map(present) }, 200);
  });
  app.openapi(routes.grant, async (c) => {
    const caller = principalOf(c);
    const grant = await c
      .get('deps')
      .reports.publishers.grant(
        { orgId: caller.orgId, actor: actorOf(caller) },
        c.req.valid('param').orgId,
        c.req.valid('json'),
      );
    return c.json(present(grant), 200);
  });
  app.openapi(routes.revoke, async (c) => {
    const caller = principalOf(c);
    await c
      .get('deps')
      .reports.publishers.revoke({ orgId: caller.orgId, actor: actorOf(caller) }, c.req.valid('param').orgId);
    return c.body(null, 204);
  });
  return app;
}
