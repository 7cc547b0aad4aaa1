import { identityErrors, UnauthenticatedError } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { sessionToken } from '../middleware/authentication.js';
import { portalRoute } from '../route-definition.js';
import { json, jsonBody } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([identityErrors]);

const own = { kind: 'session', reason: 'a user reads and secures their own identity' } as const;

const MeSchema = z
  .object({
    user: z.object({
      userId: z.string(),
      email: z.string(),
      displayName: z.string(),
      mfaEnabled: z.boolean(),
      mustChangePassword: z.boolean(),
      mfaRequired: z.boolean(),
    }),
    account: z.object({ accountId: z.string(), name: z.string(), isManagement: z.boolean() }),
    organization: z.object({ orgId: z.string(), name: z.string() }),
    groups: z.array(z.object({ groupId: z.string(), name: z.string() })),
    role: z.object({ roleId: z.string(), name: z.string() }).optional(),
    mfaPresent: z.boolean(),
  })
  .openapi('Me');

const meRoute = portalRoute({
  method: 'get',
  path: '/me',
  tags: ['Session'],
  summary: 'Who am I: user, account, groups, assumed role, whether this session passed MFA',
  authorization: own,
  responses: {
    200: json('The caller', MeSchema),
    401: problem(401, 'No session'),
  },
});

const enrolRoute = portalRoute({
  method: 'post',
  path: '/me/mfa',
  tags: ['Session'],
  summary: 'Start TOTP enrolment (needs the current password): a new secret to add to an authenticator app',
  authorization: own,
  request: jsonBody(
    z
      .object({ password: z.string().max(1024).openapi({ description: 'The current password' }) })
      .strict()
      .openapi('BeginMfaEnrolment'),
  ),
  responses: {
    201: json(
      'The pending secret (base32) and its otpauth:// URI',
      z.object({ secret: z.string(), otpauthUri: z.string() }),
    ),
    400: problem(400, 'MFA already enabled, or the password is wrong (`errors` names `password`)'),
    429: problem(429, 'Too many wrong passwords in this session'),
  },
});

const confirmRoute = portalRoute({
  method: 'post',
  path: '/me/mfa/confirm',
  tags: ['Session'],
  summary: 'Finish enrolment with a code from the new secret; returns one-time recovery codes',
  authorization: own,
  request: jsonBody(
    z
      .object({ totp: z.string().max(16) })
      .strict()
      .openapi('ConfirmMfa'),
  ),
  responses: {
    200: json('MFA enabled; the recovery codes are shown only now', z.object({ recoveryCodes: z.array(z.string()) })),
    400: problem(400, 'No enrolment pending, or the code does not match'),
  },
});

const changePasswordRoute = portalRoute({
  method: 'post',
  path: '/me/password',
  tags: ['Session'],
  summary: 'Change my password; every other session of mine ends',
  authorization: own,
  request: jsonBody(
    z
      .object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) })
      .strict()
      .openapi('ChangePassword'),
  ),
  responses: {
    204: { description: 'Changed' },
    400: problem(400, 'Wrong current password, or the new one breaks the rules'),
    429: problem(429, 'Too many wrong passwords in this session'),
  },
});

export function meRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(meRoute, async (c) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthenticatedError('Sign in first.');
    const { users, organizations } = c.get('deps');
    const signedIn = c.get('sessionUser');
    const [user, account, organization, groups] = await Promise.all([
      signedIn ?? users.get(principal.orgId, principal.userId),
      organizations.getAccount(principal.orgId, principal.accountId),
      organizations.get(principal.orgId),
      users.groupsOf(principal.orgId, principal.userId),
    ]);
    return c.json(
      {
        user: {
          userId: user.userId,
          email: user.email,
          displayName: user.displayName,
          mfaEnabled: user.mfaEnabled,
          mustChangePassword: user.mustChangePassword,
          mfaRequired: user.mfaRequired,
        },
        account: { accountId: account.accountId, name: account.name, isManagement: account.isManagement },
        organization: { orgId: organization.orgId, name: organization.name },
        groups: groups.map((g) => ({ groupId: g.groupId, name: g.name })),
        ...(principal.role ? { role: principal.role } : {}),
        mfaPresent: principal.mfaPresent,
      },
      200,
    );
  });

  app.openapi(enrolRoute, async (c) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthenticatedError('Sign in first.');
    const enrolment = await c.get('deps').sessions.beginMfaEnrolment(principal, c.req.valid('json'));
    c.header('Cache-Control', 'no-store');
    return c.json({ secret: enrolment.secret, otpauthUri: enrolment.otpauthUri }, 201);
  });

  app.openapi(confirmRoute, async (c) => {
    const principal = c.get('principal');
    const token = sessionToken(c);
    if (!principal) throw new UnauthenticatedError('Sign in first.');
    const result = await c.get('deps').sessions.confirmMfaEnrolment(principal, token ?? '', c.req.valid('json').totp);
    c.header('Cache-Control', 'no-store');
    return c.json({ recoveryCodes: [...result.recoveryCodes] }, 200);
  });

  app.openapi(changePasswordRoute, async (c) => {
    const principal = c.get('principal');
    const token = sessionToken(c);
    if (!principal || !token) throw new UnauthenticatedError('Sign in first.');
    await c.get('deps').users.changeOwnPassword(principal, token, c.req.valid('json'));
    return c.body(null, 204);
  });

  return app;
}
