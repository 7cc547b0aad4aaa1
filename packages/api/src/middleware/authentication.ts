import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';

export const sessionCookieName = '__Host-session';

/** Routes an enrolment-only session (MFA due before anything else) may reach. */
const enrolmentPaths = new Set(['/api/me', '/api/me/mfa', '/api/me/mfa/confirm', '/api/session']);

/** The session token a request carries: `Authorization: Bearer …` first, else the `__Host-session` cookie. */
export function sessionToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header.trim());
    return match?.[1];
  }
  const cookies = c.req.header('cookie');
  if (!cookies) return undefined;
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === sessionCookieName) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Resolves the request's session to a principal. It only ever SETS the principal, for a valid,
 * unexpired, unrevoked session of an active user, and never clears one set earlier. Anything else
 * leaves the request anonymous, and the authorization gate answers 401. JWT-shaped bearer tokens
 * belong to an external OIDC issuer (a later seam) and are not accepted yet.
 */
export function authentication(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = sessionToken(c);
    if (token !== undefined && c.get('principal') === undefined) {
      const resolved = await c.get('deps').sessions.authenticate(token);
      if (resolved && (!resolved.session.enrolmentOnly || enrolmentPaths.has(c.req.path))) {
        c.set('principal', resolved.principal);
        c.set('sessionUser', resolved.user);
      }
    }
    await next();
  };
}

/** The caller's address for sign-in throttling: the socket's (node) or the API Gateway event's. */
export function clientIp(c: Context<AppEnv>): string {
  const env = c.env as
    | {
        incoming?: { socket?: { remoteAddress?: string } };
        event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
      }
    | undefined;
  return (
    env?.incoming?.socket?.remoteAddress ??
    env?.event?.requestContext?.http?.sourceIp ??
    env?.event?.requestContext?.identity?.sourceIp ??
    'unknown'
  );
}
