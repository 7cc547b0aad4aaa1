import { groupArn, roleArn, userArn, userTagsField } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import {
  GroupSchema,
  presentGroup,
  presentRole,
  presentRoleGrant,
  presentUser,
  RoleGrantSchema,
  RoleSchema,
  UserSchema,
} from '../presenters/identity.js';
import { portalRoute } from '../route-definition.js';
import {
  accessRoute,
  actorOf,
  ItemsOf,
  json,
  jsonBody,
  pathParam,
  principalOf,
  requireMayGrantRole,
} from './org-route-support.js';

const routes = {
  listUsers: portalRoute({
    method: 'get',
    path: '/org/users',
    summary: 'Users of the organization',
    ...accessRoute.reads(userArn('{orgId}', '*'), { 200: json('All users', ItemsOf(UserSchema)) }),
  }),
  createUser: portalRoute({
    method: 'post',
    path: '/org/users',
    summary: 'Invite a user (an emailed link sets the first password) or create one with a password',
    request: jsonBody(
      z
        .object({
          email: z.string().max(254),
          displayName: z.string().max(128),
          accountId: z.string().regex(/^\d{12}$/, '12 digits'),
          password: z.string().max(1024).optional(),
          tags: userTagsField.optional(),
        })
        .strict()
        .openapi('NewUser'),
    ),
    ...accessRoute.changes(userArn('{orgId}', '*'), { 201: json('Created or invited', UserSchema) }),
  }),
  deactivateUser: portalRoute({
    method: 'post',
    path: '/org/users/{userId}/deactivate',
    summary: 'Deactivate a user: their sessions stop working at once',
    request: { params: z.object({ userId: pathParam('userId') }) },
    ...accessRoute.changes(userArn('{orgId}', '{userId}'), { 200: json('Deactivated', UserSchema) }),
  }),
  listGroups: portalRoute({
    method: 'get',
    path: '/org/groups',
    summary: 'Groups and their members',
    ...accessRoute.reads(groupArn('{orgId}', '*'), { 200: json('All groups', ItemsOf(GroupSchema)) }),
  }),
  createGroup: portalRoute({
    method: 'post',
    path: '/org/groups',
    summary: 'Create a group',
    request: jsonBody(
      z
        .object({ name: z.string().max(128) })
        .strict()
        .openapi('NewGroup'),
    ),
    ...accessRoute.changes(groupArn('{orgId}', '*'), { 201: json('Created', GroupSchema) }),
  }),
  addMember: portalRoute({
    method: 'post',
    path: '/org/groups/{groupId}/members',
    summary: 'Add a user to a group',
    request: {
      params: z.object({ groupId: pathParam('groupId') }),
      ...jsonBody(
        z
          .object({ userId: z.string().max(128) })
          .strict()
          .openapi('GroupMember'),
      ),
    },
    ...accessRoute.changes(groupArn('{orgId}', '{groupId}'), { 204: { description: 'Added' } }),
  }),
  removeMember: portalRoute({
    method: 'delete',
    path: '/org/groups/{groupId}/members/{userId}',
    summary: 'Remove a user from a group',
    request: { params: z.object({ groupId: pathParam('groupId'), userId: pathParam('userId') }) },
    ...accessRoute.changes(groupArn('{orgId}', '{groupId}'), { 204: { description: 'Removed' } }),
  }),
  listRoles: portalRoute({
    method: 'get',
    path: '/org/roles',
    summary: 'Roles and their trust policies',
    ...accessRoute.reads(roleArn('{orgId}', '*'), { 200: json('All roles', ItemsOf(RoleSchema)) }),
  }),
  createRole: portalRoute({
    method: 'post',
    path: '/org/roles',
    summary: 'Create a role; its trust policy names the users and groups that may assume it',
    request: jsonBody(
      z
        .object({
          name: z.string().max(64),
          description: z.string().max(1024).optional(),
          trust: z
            .object({
              users: z.array(z.string().max(128)).max(100).optional(),
              groups: z.array(z.string().max(128)).max(100).optional(),
            })
            .strict(),
          maxSessionSeconds: z.number().int().min(900).max(43_200).optional(),
        })
        .strict()
        .openapi('NewRole'),
    ),
    ...accessRoute.changes(roleArn('{orgId}', '*'), { 201: json('Created', RoleSchema) }),
  }),
  grantRole: portalRoute({
    method: 'post',
    path: '/org/roles/{roleId}/grants',
    summary: 'Let a user assume a role until a given time (time-boxed access)',
    request: {
      params: z.object({ roleId: pathParam('roleId') }),
      ...jsonBody(
        z
          .object({ userId: z.string().max(128), expiresAt: z.iso.datetime({ offset: true }) })
          .strict()
          .openapi('RoleGrantInput'),
      ),
    },
    ...accessRoute.changes(roleArn('{orgId}', '{roleId}'), {
      201: json('Granted', RoleGrantSchema),
    }),
  }),
};

export function organizationIdentityRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const users = (c: { get(key: 'deps'): AppEnv['Variables']['deps'] }) => c.get('deps').users;

  app.openapi(routes.listUsers, async (c) =>
    c.json({ items: (await users(c).list(principalOf(c).orgId)).map(presentUser) }, 200),
  );
  app.openapi(routes.createUser, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    const { user } = await users(c).createUser(
      caller.orgId,
      {
        email: input.email,
        displayName: input.displayName,
        accountId: input.accountId,
        ...(input.password !== undefined ? { password: input.password, mustChangePassword: true } : {}),
        ...(input.tags ? { tags: input.tags } : {}),
      },
      actorOf(caller),
      { invitedBy: caller.displayName },
    );
    return c.json(presentUser(user), 201);
  });
  app.openapi(routes.deactivateUser, async (c) => {
    const caller = principalOf(c);
    const user = await users(c).deactivate(caller.orgId, c.req.valid('param').userId, actorOf(caller));
    return c.json(presentUser(user), 200);
  });
  app.openapi(routes.listGroups, async (c) =>
    c.json({ items: (await users(c).listGroups(principalOf(c).orgId)).map((g) => presentGroup(g, g.members)) }, 200),
  );
  app.openapi(routes.createGroup, async (c) => {
    const caller = principalOf(c);
    const group = await users(c).createGroup(caller.orgId, c.req.valid('json').name, actorOf(caller));
    return c.json(presentGroup(group, []), 201);
  });
  app.openapi(routes.addMember, async (c) => {
    const caller = principalOf(c);
    await users(c).addMember(caller.orgId, c.req.valid('param').groupId, c.req.valid('json').userId, actorOf(caller));
    return c.body(null, 204);
  });
  app.openapi(routes.removeMember, async (c) => {
    const caller = principalOf(c);
    const { groupId, userId } = c.req.valid('param');
    await users(c).removeMember(caller.orgId, groupId, userId, actorOf(caller));
    return c.body(null, 204);
  });
  app.openapi(routes.listRoles, async (c) =>
    c.json({ items: (await users(c).listRoles(principalOf(c).orgId)).map(presentRole) }, 200),
  );
  app.openapi(routes.createRole, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    const role = await users(c).createRole(
      caller.orgId,
      {
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        trust: { users: input.trust.users ?? [], groups: input.trust.groups ?? [] },
        ...(input.maxSessionSeconds !== undefined ? { maxSessionSeconds: input.maxSessionSeconds } : {}),
      },
      actorOf(caller),
    );
    return c.json(presentRole(role), 201);
  });
  app.openapi(routes.grantRole, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    await requireMayGrantRole(c, input.userId, c.req.valid('param').roleId);
    const grant = await c
      .get('deps')
      .policies.grantRole(caller.orgId, input.userId, c.req.valid('param').roleId, input.expiresAt, actorOf(caller));
    return c.json(presentRoleGrant(grant), 201);
  });
  return app;
}
