import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { authorizationGate } from './middleware/authorization-gate.js';

/**
 * Every route says who may call it. `public` routes name why they are public; all others name the
 * `portal:*` action and the resource ARN template (`{orgId}`, `{accountId}` and path parameters are
 * filled in), enforced by `authorizationGate` before input validation. The declaration is published in the OpenAPI document as `x-portal-authorization`,
 * and a test fails for any operation without one.
 */
export type RouteAuthorization =
  | { kind: 'public'; reason: string }
  | { kind: 'session'; reason: string }
  | { kind: 'action'; action: `portal:${string}`; resource: string };

export function portalRoute<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(
  config: R & { authorization: RouteAuthorization },
) {
  const { authorization, ...route } = config;
  const own =
    route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return createRoute({
    ...route,
    middleware: [authorizationGate(authorization), ...own],
    'x-portal-authorization': authorization,
  } as unknown as R & { path: P });
}
