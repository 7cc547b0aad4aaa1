import {
  principalCaller,
  principalRequestContext,
  type RequestContext,
  requireAllowed,
  UnauthenticatedError,
} from '@evidence-portal/core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { RouteAuthorization } from '../route-definition.js';

/**
 * Expands a declared resource template: `{orgId}` and `{accountId}` come from the principal, any other
 * `{name}` from the route's path parameters (e.g. `arn:portal:{orgId}:*:report/{id}`).
 */
export function expandResource(
  template: string,
  principal: { orgId: string; accountId: string },
  params: Record<string, string>,
): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    if (name === 'orgId') return principal.orgId;
    if (name === 'accountId' && params.accountId === undefined) return principal.accountId;
    const value = params[name];
    if (value === undefined) throw new Error(`resource template ${template} names {${name}}, which the route lacks`);
    return value;
  });
}

/** Condition keys every request carries (core's principalRequestContext); routes add the object's own when they re-check. */
export function baseRequestContext(c: Parameters<MiddlewareHandler<AppEnv>>[0]): RequestContext {
  const principal = c.get('principal');
  const now = c.get('deps').clock.now();
  if (!principal) return { 'aws:CurrentTime': now.toISOString(), 'aws:MultiFactorAuthPresent': false };
  return principalRequestContext(principal, now);
}

/**
 * Enforces a route's declared authorization before its input is even validated: no session -> 401;
 * a declared action the principal may not perform on the declared resource -> 403 (requireAllowed:
 * logged with principal, action, resource and reason, never tokens). `use-case` routes only need a
 * session here: their use case asks.
 */
export function authorizationGate(authorization: RouteAuthorization): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (authorization.kind === 'public') return next();
    const principal = c.get('principal');
    if (!principal) throw new UnauthenticatedError('Sign in first: this route needs a session.');
    if (authorization.kind === 'action') {
      const resource = expandResource(authorization.resource, principal, c.req.param() as Record<string, string>);
      await requireAllowed(
        c.get('deps').authorizer,
        principalCaller(principal, {}, c.get('logger')),
        authorization.action,
        resource,
        baseRequestContext(c),
      );
    }
    return next();
  };
}
