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
import {
  actorOf,
  adminProblems,
  ItemsOf,
  json,
  jsonBody,
  pathParam,
  principalOf,
  readProblems,
} from './org-route-support.js';

const organization = organizationArn('{orgId}');
const describe = { kind: 'action', action: 'portal:DescribeOrganization', resource: organization } as const;
const manage = { kind: 'action', action: 'portal:ManageOrganization', resource: organization } as const;

const name = z.string().min(1).max(128);
const parentId = z.string().min(1).max(128).openapi({ description: 'The root id (`r-…`) or an OU id (`ou-…`)' });

const routes = {
  tree: portalRoute({
    method: 'get',
    path: '/org',
    tags: ['Organization'],
    summary: 'The organization tree: root, OUs, accounts',
    authorization: describe,
    responses: { 200: json('The tree', OrganizationTreeSchema), ...readProblems },
  }),
  listUnits: portalRoute({
    method: 'get',
    path: '/org/units',
    tags: ['Organization'],
    summary: 'Organizational units',
    authorization: describe,
    responses: { 200: json('All OUs', ItemsOf(UnitSchema)), ...readProblems },
  }),
  createUnit: portalRoute({
    method: 'post',
    path: '/org/units',
    tags: ['Organization'],
    summary: 'Create an OU under the root or another OU',
    authorization: manage,
    request: jsonBody(z.object({ name, parentId }).strict().openapi('NewUnit')),
    responses: { 201: json('Created', UnitSchema), ...adminProblems },
  }),
  deleteUnit: portalRoute({
    method: 'delete',
    path: '/org/units/{unitId}',
    tags: ['Organization'],
    summary: 'Delete an empty OU',
    authorization: { kind: 'action', action: 'portal:ManageOrganization', resource: unitArn('{orgId}', '{unitId}') },
    request: { params: z.object({ unitId: pathParam('unitId') }) },
    responses: { 204: { description: 'Deleted' }, ...adminProblems },
  }),
  listAccounts: portalRoute({
    method: 'get',
    path: '/org/accounts',
    tags: ['Organization'],
    summary: 'Member accounts, including the management account',
    authorization: describe,
    responses: { 200: json('All accounts', ItemsOf(AccountSchema)), ...readProblems },
  }),
  addAccount: portalRoute({
    method: 'post',
    path: '/org/accounts',
    tags: ['Organization'],
    summary: 'Add a member account (it joins at once)',
    authorization: manage,
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
    responses: { 201: json('Joined', AccountSchema), ...adminProblems },
  }),
  removeAccount: portalRoute({
    method: 'delete',
    path: '/org/accounts/{accountId}',
    tags: ['Organization'],
    summary: 'Remove a member account (it leaves at once)',
    authorization: {
      kind: 'action',
      action: 'portal:ManageOrganization',
      resource: accountArn('{orgId}', '{accountId}'),
    },
    request: { params: z.object({ accountId: pathParam('accountId') }) },
    responses: { 204: { description: 'Left the organization' }, ...adminProblems },
  }),
  moveAccount: portalRoute({
    method: 'post',
    path: '/org/accounts/{accountId}/move',
    tags: ['Organization'],
    summary: 'Move an account to another OU (or the root)',
    authorization: {
      kind: 'action',
      action: 'portal:ManageOrganization',
      resource: accountArn('{orgId}', '{accountId}'),
    },
    request: {
      params: z.object({ accountId: pathParam('accountId') }),
      ...jsonBody(z.object({ destinationParentId: parentId }).strict().openapi('MoveAccount')),
    },
    responses: { 200: json('Moved', AccountSchema), ...adminProblems },
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
