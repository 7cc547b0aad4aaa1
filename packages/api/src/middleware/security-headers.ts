import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { contentSecurityPolicy } from '../content-security-policy.js';

/**
 * Security headers on every response, errors included (they are set after the handler or onError has
 * produced the response). The docs page gets a per-response script nonce; nothing else runs inline code.
 */
export function securityHeaders(uploadOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const nonce = c.get('cspNonce');
    const headers = c.res.headers;
    headers.set('Content-Security-Policy', contentSecurityPolicy({ ...(nonce ? { nonce } : {}), uploadOrigins }));
    headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (c.req.path.startsWith('/api/') && !headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  };
}
