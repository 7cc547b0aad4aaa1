import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';

/**
 * Security headers on every response, errors included (they are set after the handler or onError has
 * produced the response). The docs page gets a per-response script nonce; nothing else runs inline code.
 */
export function securityHeaders(options: { uploadOrigins?: readonly string[] } = {}): MiddlewareHandler<AppEnv> {
  // The console PUTs report versions straight to their presigned URL (another origin: the local S3, or the
  // bucket in AWS, where CloudFront's CSP in stacks/web.ts allows it). Interim until the CSP has one home (#13).
  const connectSrc = [`'self'`, ...(options.uploadOrigins ?? [])].join(' ');
  return async (c, next) => {
    await next();
    const nonce = c.get('cspNonce');
    const selfOrNonce = nonce ? `'self' 'nonce-${nonce}'` : `'self'`;
    const headers = c.res.headers;
    headers.set(
      'Content-Security-Policy',
      [
        `default-src 'self'`,
        `script-src ${selfOrNonce}`,
        `style-src ${selfOrNonce}`,
        `img-src 'self' data:`,
        `connect-src ${connectSrc}`,
        `font-src 'self'`,
        `object-src 'none'`,
        `base-uri 'none'`,
        `frame-ancestors 'none'`,
        `form-action 'self'`,
      ].join('; '),
    );
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
