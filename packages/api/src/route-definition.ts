import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { authorizationGate } from './middleware/authorization-gate.js';

/**
 * Every route says who may call it, published in the OpenAPI document as `x-portal-authorization`
 * (a test fails for any operation without one):
 * - `public`: no session needed, and why;
 * - `session`: any signed-in principal, and why;
 * - `action`: the gate asks `authorize` for the action on the resource template (`{orgId}`,
 *   `{accountId}` and path parameters filled in) before input validation;
 * - `use-case`: the use case asks `authorize` itself, for the exact resource it touches (the template
 *   shows its shape; `{accountId}` is the account the input names, else the caller's), so the
 *   question is asked in one place whoever calls the use case. The gate requires a session.
 */
export type RouteAuthorization =
  | { kind: 'public'; reason: string }
  | { kind: 'session'; reason: string }
  | { kind: 'action'; action: `portal:${string}`; resource: string }
  | { kind: 'use-case'; action: `portal:${string}`; resource: string };

/** A route whose use case asks `authorize` for `action` on resources shaped like `resource`. */
export const askedByUseCase = (action: `portal:${string}`, resource: string) =>
  ({ kind: 'use-case', action, resource }) as const;

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
