import {
  accessErrors,
  identityErrors,
  NotFoundError,
  requireAllowed,
  roleArn,
  UnauthenticatedError,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { clientIp, sessionCookieName, sessionToken } from '../middleware/authentication.js';
import { baseRequestContext } from '../middleware/authorization-gate.js';
import { portalRoute } from '../route-definition.js';
import { callerOf, json, jsonBody } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([identityErrors, accessErrors]);

/** The organization's id: emails are unique per organization, so a sign-in names it (docs/access.md). */
const organizationField = z
  .string()
  .min(3)
  .max(70)
  .openapi({ description: 'The organization id (`o-…`) the user belongs to', example: 'o-examplecorp' });

const SignInSchema = z
  .object({
    organization: organizationField,
    email: z.string().min(3).max(254),
    password: z.string().min(1).max(1024),
    totp: z.string().max(64).optional().openapi({ description: 'Current TOTP code, or a one-time recovery code' }),
    newPassword: z.string().max(1024).optional().openapi({ description: 'Required when the password must change' }),
  })
  .strict()
  .openapi('SignIn');

const SessionSchema = z
  .object({
    token: z.string().openapi({ description: 'Bearer token for API clients (the browser uses the cookie)' }),
    expiresAt: z.string(),
    sessionId: z.string(),
    mfaPresent: z.boolean(),
    role: z.object({ roleId: z.string(), name: z.string() }).optional(),
    enrolmentOnly: z
      .boolean()
      .openapi({ description: 'MFA enrolment is due: only /api/me and /api/me/mfa* accept this session' }),
  })
  .openapi('Session');

const signInRoute = portalRoute({
  method: 'post',
  path: '/session',
  tags: ['Session'],
  summary: 'Sign in with email, password and (when enrolled) a TOTP code',
  authorization: { kind: 'public', reason: 'signing in is how a session is obtained' },
  request: jsonBody(SignInSchema),
  responses: {
    201: json('Signed in; also sets the HttpOnly __Host-session cookie', SessionSchema),
    400: problem(400, 'Invalid input (e.g. a new password that breaks the rules)'),
    401: problem(401, 'Wrong credentials, MFA code missing or wrong (`code` says which)'),
    403: problem(403, 'The password must be changed: send `newPassword`'),
    429: problem(429, 'Too many failures: locked for `Retry-After` seconds'),
  },
});

const signOutRoute = portalRoute({
  method: 'delete',
  path: '/session',
  tags: ['Session'],
  summary: 'Sign out: revoke this session',
  authorization: { kind: 'session', reason: 'a user may always end their own session' },
  responses: { 204: { description: 'Revoked; the cookie is cleared' }, 401: problem(401, 'No session') },
});

const assumeRoleRoute = portalRoute({
  method: 'post',
  path: '/session/role',
  tags: ['Session'],
  summary: "Assume a role: a temporary session with only the role's permissions",
  // The trust policy grants it (the session use case checks it); an explicit Deny of portal:AssumeRole refuses.
  authorization: { kind: 'use-case', action: 'portal:AssumeRole', resource: roleArn('{orgId}', '{roleId}') },
  request: jsonBody(
    z
      .object({ roleId: z.string().max(128) })
      .strict()
      .openapi('AssumeRole'),
  ),
  responses: {
    201: json('The role session', SessionSchema),
    403: problem(403, 'Not allowed to assume the role, or its trust policy does not name the caller'),
    404: problem(404, 'No such role'),
  },
});

const stepUpRoute = portalRoute({
  method: 'post',
  path: '/session/mfa',
  tags: ['Session'],
  summary: 'Step-up: add MFA to a session that lacks it',
  authorization: { kind: 'session', reason: 'a user strengthens their own session' },
  request: jsonBody(
    z
      .object({ totp: z.string().max(64) })
      .strict()
      .openapi('StepUp'),
  ),
  responses: {
    200: json('The session now has MFA', z.object({ mfaPresent: z.literal(true), expiresAt: z.string() })),
    401: problem(401, 'Wrong or reused code'),
    429: problem(429, 'Locked after repeated failures'),
  },
});

const resetRequestRoute = portalRoute({
  method: 'post',
  path: '/session/password-reset',
  tags: ['Session'],
  summary: 'Ask for a password-reset link by email',
  authorization: { kind: 'public', reason: 'people who forgot their password have no session' },
  request: jsonBody(
    z
      .object({ organization: organizationField, email: z.string().max(254) })
      .strict()
      .openapi('PasswordResetRequest'),
  ),
  responses: {
    202: { description: 'Queued, whether or not the email is known (the same work and answer either way)' },
    429: problem(429, 'Too many requests for this email or from this address (`reset_rate_limited`)'),
  },
});

const redeemRoute = portalRoute({
  method: 'post',
  path: '/session/password',
  tags: ['Session'],
  summary: 'Set a password from an invitation or reset link',
  authorization: { kind: 'public', reason: 'the one-time token in the link is the credential' },
  request: jsonBody(
    z
      .object({ token: z.string().max(256), newPassword: z.string().max(1024) })
      .strict()
      .openapi('PasswordFromLink'),
  ),
  responses: {
    204: { description: 'Password set; sign in with it' },
    400: problem(400, 'The password breaks the rules (one error per rule)'),
    404: problem(404, 'Invalid or expired link'),
  },
});

function sessionBody(
  token: string,
  session: {
    sessionId: string;
    expiresAt: string;
    mfaPresent: boolean;
    role?: { roleId: string; name: string };
    enrolmentOnly: boolean;
  },
) {
  return {
    token,
    expiresAt: session.expiresAt,
    sessionId: session.sessionId,
    mfaPresent: session.mfaPresent,
    ...(session.role ? { role: session.role } : {}),
    enrolmentOnly: session.enrolmentOnly,
  };
}

function sessionCookie(token: string, expiresAt: string, now: Date): string {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000));
  return `${sessionCookieName}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Strict`;
}

export function sessionRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(signInRoute, async (c) => {
    const deps = c.get('deps');
    const input = c.req.valid('json');
    // A refusal (SignInRefusedError) is answered by onError: 401, 403 or 429 with Retry-After (problem.ts).
    const issued = await deps.sessions.signIn({
      organization: input.organization,
      email: input.email,
      password: input.password,
      ...(input.totp !== undefined ? { totp: input.totp } : {}),
      ...(input.newPassword !== undefined ? { newPassword: input.newPassword } : {}),
      clientIp: clientIp(c),
    });
    c.header('Set-Cookie', sessionCookie(issued.token, issued.session.expiresAt, deps.clock.now()));
    c.header('Cache-Control', 'no-store');
    return c.json(sessionBody(issued.token, issued.session), 201);
  });

  app.openapi(signOutRoute, async (c) => {
    const token = sessionToken(c);
    if (token) await c.get('deps').sessions.revoke(token, c.get('principal'));
    c.header('Set-Cookie', `${sessionCookieName}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`);
    return c.body(null, 204);
  });

  app.openapi(assumeRoleRoute, async (c) => {
    const deps = c.get('deps');
    const principal = c.get('principal');
    const token = sessionToken(c);
    if (!principal) throw new UnauthenticatedError('Sign in first.');
    const { roleId } = c.req.valid('json');
    // As for a same-account IAM role: the trust policy (checked by the session use case) grants the
    // assumption, and an explicit Deny of portal:AssumeRole (a policy or a guardrail) refuses it. Evaluated
    // without side effects first, so a trusted assumption is not recorded as a denial.
    const arn = roleArn(principal.orgId, roleId);
    const decision = await deps.permissionQuestions()(principal, 'portal:AssumeRole', arn, baseRequestContext(c));
    if (decision.decision === 'ExplicitDeny') {
      await requireAllowed(deps.authorizer, callerOf(c), 'portal:AssumeRole', arn, baseRequestContext(c));
    }
    if (!token) throw new UnauthenticatedError('Sign in first.');
    const issued = await deps.sessions.assumeRole(principal, token, roleId);
    c.header('Set-Cookie', sessionCookie(issued.token, issued.session.expiresAt, deps.clock.now()));
    return c.json(sessionBody(issued.token, issued.session), 201);
  });

  app.openapi(stepUpRoute, async (c) => {
    const token = sessionToken(c);
    if (!token) throw new UnauthenticatedError('Sign in first.');
    try {
      const session = await c.get('deps').sessions.stepUp(token, c.req.valid('json').totp);
      return c.json({ mfaPresent: true as const, expiresAt: session.expiresAt }, 200);
    } catch (error) {
      if (error instanceof NotFoundError) throw new UnauthenticatedError('Sign in first.');
      throw error;
    }
  });

  app.openapi(resetRequestRoute, async (c) => {
    const deps = c.get('deps');
    const input = c.req.valid('json');
    await deps.users.requestPasswordReset({
      organization: input.organization,
      email: input.email,
      clientIp: clientIp(c),
    });
    return c.body(null, 202);
  });

  app.openapi(redeemRoute, async (c) => {
    const input = c.req.valid('json');
    await c.get('deps').users.redeemOneTimeToken(input.token, input.newPassword);
    return c.body(null, 204);
  });

  return app;
}
