import { accountArn, organizationArn, unitArn } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import {
  AccountSchema,
  OrganizationTreeSchema,
  presentAccount,
  presentOrganizationTree,
  presentUnit,
  UnitSchema,
} from '../presenters/organization.js';
import { portalRoute } from '../route-definition.js';
import { actorOf, ItemsOf, json, jsonBody, organizationRoute, pathParam, principalOf } from './org-route-support.js';

const organization = organizationArn('{orgId}');

const name = z.string().min(1).max(128);
const parentId = z.string().min(1).max(128).openapi({ description: 'The root id (`r-…`) or an OU id (`ou-…`)' });

const routes = {
  tree: portalRoute({
    method: 'get',
    path: '/org',
    summary: 'The organization tree: root, OUs, accounts',
    ...organizationRoute.reads(organization, { 200: json('The tree', OrganizationTreeSchema) }),
  }),
  listUnits: portalRoute({
    method: 'get',
    path: '/org/units',
    summary: 'Organizational units',
    ...organizationRoute.reads(organization, { 200: json('All OUs', ItemsOf(UnitSchema)) }),
  }),
  createUnit: portalRoute({
    method: 'post',
    path: '/org/units',
    summary: 'Create an OU under the root or another OU',
    request: jsonBody(z.object({ name, parentId }).strict().openapi('NewUnit')),
    ...organizationRoute.changes(organization, { 201: json('Created', UnitSchema) }),
  }),
  deleteUnit: portalRoute({
    method: 'delete',
    path: '/org/units/{unitId}',
    summary: 'Delete an empty OU',
    request: { params: z.object({ unitId: pathParam('unitId') }) },
    ...organizationRoute.changes(unitArn('{orgId}', '{unitId}'), { 204: { description: 'Deleted' } }),
  }),
  listAccounts: portalRoute({
    method: 'get',
    path: '/org/accounts',
    summary: 'Member accounts, including the management account',
    ...organizationRoute.reads(organization, { 200: json('All accounts', ItemsOf(AccountSchema)) }),
  }),
  addAccount: portalRoute({
    method: 'post',
    path: '/org/accounts',
    summary: 'Add a member account (it joins at once)',
    request: jsonBody(
      z
        .object({
          name,
          parentId: parentId.optional(),
          accountId: z
            .string()
            .regex(/^\d{12}$/, '12 digits')
            .optional(),
        })
        .strict()
        .openapi('NewAccount'),
    ),
    ...organizationRoute.changes(organization, { 201: json('Joined', AccountSchema) }),
  }),
  removeAccount: portalRoute({
    method: 'delete',
    path: '/org/accounts/{accountId}',
    summary: 'Remove a member account (it leaves at once)',
    request: { params: z.object({ accountId: pathParam('accountId') }) },
    ...organizationRoute.changes(accountArn('{orgId}', '{accountId}'), {
      204: { description: 'Left the organization' },
    }),
  }),
  moveAccount: portalRoute({
    method: 'post',
    path: '/org/accounts/{accountId}/move',
    summary: 'Move an account to another OU (or the root)',
    request: {
      params: z.object({ accountId: pathParam('accountId') }),
      ...jsonBody(z.object({ destinationParentId: parentId }).strict().openapi('MoveAccount')),
    },
    ...organizationRoute.changes(accountArn('{orgId}', '{accountId}'), { 200: json('Moved', AccountSchema) }),
  }),
};

export function organizationRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const service = (c: { get(key: 'deps'): AppEnv['Variables']['deps'] }) => c.get('deps').organizations;

  app.openapi(routes.tree, async (c) =>
    c.json(presentOrganizationTree(await service(c).tree(principalOf(c).orgId)), 200),
  );
  app.openapi(routes.listUnits, async (c) =>
    c.json({ items: (await service(c).listUnits(principalOf(c).orgId)).map(presentUnit) }, 200),
  );
  app.openapi(routes.createUnit, async (c) => {
    const caller = principalOf(c);
    const unit = await service(c).createUnit(caller.orgId, c.req.valid('json'), actorOf(caller));
    return c.json(presentUnit(unit), 201);
  });
  app.openapi(routes.deleteUnit, async (c) => {
    const caller = principalOf(c);
    await service(c).deleteUnit(caller.orgId, c.req.valid('param').unitId, actorOf(caller));
    return c.body(null, 204);
  });
  app.openapi(routes.listAccounts, async (c) =>
    c.json({ items: (await service(c).listAccounts(principalOf(c).orgId)).map(presentAccount) }, 200),
  );
  app.openapi(routes.addAccount, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    const account = await service(c).addAccount(
      caller.orgId,
      {
        name: input.name,
        ...(input.parentId ? { parentId: input.parentId } : {}),
        ...(input.accountId ? { accountId: input.accountId } : {}),
      },
      actorOf(caller),
    );
    return c.json(presentAccount(account), 201);
  });
  app.openapi(routes.removeAccount, async (c) => {
    const caller = principalOf(c);
    await service(c).removeAccount(caller.orgId, c.req.valid('param').accountId, actorOf(caller));
    return c.body(null, 204);
  });
  app.openapi(routes.moveAccount, async (c) => {
    const caller = principalOf(c);
    const moved = await service(c).moveAccount(
      caller.orgId,
      c.req.valid('param').accountId,
      c.req.valid('json').destinationParentId,
      actorOf(caller),
    );
    return c.json(presentAccount(moved), 200);
  });
  return app;
}
