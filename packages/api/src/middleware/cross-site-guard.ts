import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { problem, problemResponse } from '../problem.js';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Does the request carry a `Cookie` and no bearer token (so the browser's cookie would authenticate it)? */
function cookieAuthenticated(headers: { header(name: string): string | undefined }): boolean {
  return headers.header('authorization') === undefined && (headers.header('cookie') ?? '') !== '';
}

/**
 * CSRF defence beside SameSite=Strict: a state-changing request authenticated by the session cookie
 * must come from the portal's own pages. Browsers say where a request comes from: `Sec-Fetch-Site`
 * (`same-origin`, or `none` for what the user typed) and `Origin`, which must name the host the request
 * was sent to. A cross-site form or fetch (even a bodyless POST, which the JSON body rule lets through)
 * is refused with 403 `cross_site_request` before any session is resolved. Bearer-token clients are not
 * affected: browsers never attach that header by themselves.
 */
export function crossSiteGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (stateChanging.has(c.req.method) && cookieAuthenticated(c.req)) {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const host = c.req.header('host');
      let foreign = site !== undefined && site !== 'same-origin' && site !== 'none';
      if (!foreign && origin !== undefined) {
        try {
          foreign = origin === 'null' || new URL(origin).host !== host;
        } catch {
          foreign = true;
        }
      }
      if (foreign) {
        return problemResponse(
          problem(
            403,
            'cross_site_request',
            'This request came from another site; the session cookie is not accepted.',
          ),
        );
      }
    }
    await next();
  };
}
