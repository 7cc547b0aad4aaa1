import { createRoute, type RouteConfig } from '@hono/zod-openapi';

/**
 * Every route says who may call it. `public` routes name why they are public; all others name the
 * `portal:*` action and how the resource ARN is formed (checked by `authorize` once the access
 * capability lands). The declaration is published in the OpenAPI document as `x-portal-authorization`,
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
  return createRoute({ ...route, 'x-portal-authorization': authorization } as unknown as R & { path: P });
}
