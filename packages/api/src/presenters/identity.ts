import type { Group, Role, RoleGrant, User } from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

/**
 * Response shapes of the identity routes and their presenters: each presenter lists the fields it
 * answers, so nothing a domain object carries beyond them (its organization id, a password hash, a
 * pending MFA secret) can reach a client.
 */
export const UserSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    displayName: z.string(),
    accountId: z.string(),
    status: z.enum(['invited', 'active', 'deactivated']),
    createdAt: z.string(),
    passwordChangedAt: z.string().optional(),
    mustChangePassword: z.boolean(),
    mfaRequired: z.boolean(),
    mfaEnabled: z.boolean(),
    lastSignInAt: z.string().optional(),
    tags: z.record(z.string(), z.string()),
  })
  .openapi('User');

export const presentUser = (user: User): z.infer<typeof UserSchema> => ({
  userId: user.userId,
  email: user.email,
  displayName: user.displayName,
  accountId: user.accountId,
  status: user.status,
  createdAt: user.createdAt,
  passwordChangedAt: user.passwordChangedAt,
  mustChangePassword: user.mustChangePassword,
  mfaRequired: user.mfaRequired,
  mfaEnabled: user.mfaEnabled,
  lastSignInAt: user.lastSignInAt,
  tags: { ...user.tags },
});

export const GroupSchema = z
  .object({ groupId: z.string(), name: z.string(), createdAt: z.string(), members: z.array(z.string()) })
  .openapi('Group');

export const presentGroup = (group: Group, members: readonly string[]): z.infer<typeof GroupSchema> => ({
  groupId: group.groupId,
  name: group.name,
  createdAt: group.createdAt,
  members: [...members],
});

export const RoleSchema = z
  .object({
    roleId: z.string(),
    name: z.string(),
    description: z.string(),
    trust: z.object({ users: z.array(z.string()), groups: z.array(z.string()) }),
    maxSessionSeconds: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Role');

export const presentRole = (role: Role): z.infer<typeof RoleSchema> => ({
  roleId: role.roleId,
  name: role.name,
  description: role.description,
  trust: { users: [...role.trust.users], groups: [...role.trust.groups] },
  maxSessionSeconds: role.maxSessionSeconds,
  createdAt: role.createdAt,
});

export const RoleGrantSchema = z
  .object({ userId: z.string(), roleId: z.string(), grantedAt: z.string(), expiresAt: z.string() })
  .openapi('RoleGrant');

export const presentRoleGrant = (grant: RoleGrant): z.infer<typeof RoleGrantSchema> => ({
  userId: grant.userId,
  roleId: grant.roleId,
  grantedAt: grant.grantedAt,
  expiresAt: grant.expiresAt,
});
