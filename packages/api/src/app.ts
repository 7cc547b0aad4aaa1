import { fieldErrorsOf } from '@evidence-portal/core';
import type { Hook } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import { artifactApp, artifactBasePath } from './artifact/artifact-app.js';
import { stsApp, stsBasePath } from './artifact/sts-app.js';
import type { AppDeps } from './deps.js';
import { authentication } from './middleware/authentication.js';
import { bodyGuards } from './middleware/body-guards.js';
import { crossSiteGuard } from './middleware/cross-site-guard.js';
import { originVerify } from './middleware/origin-verify.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { problem, problemFromError, problemResponse } from './problem.js';
import { accessKeyRoutes } from './routes/access-keys.js';
import { agreementRoutes } from './routes/agreements/agreement-routes.js';
import { coverageRoutes } from './routes/agreements/coverage-routes.js';
import { downloadRoutes } from './routes/downloads.js';
import { evidenceRoutes } from './routes/evidence/evidence-routes.js';
import { keyRoutes } from './routes/keys.js';
import { ledgerRoutes } from './routes/ledger.js';
import { meRoutes } from './routes/me.js';
import { notificationRoutes } from './routes/notifications.js';
import { organizationAccessRoutes } from './routes/org-access.js';
import { organizationIdentityRoutes } from './routes/org-identity.js';
import { organizationRoutes } from './routes/org-structure.js';
import { organizationOnboardingRoutes } from './routes/organizations.js';
import { permissionRoutes } from './routes/permissions.js';
import { publisherRoutes } from './routes/publishers.js';
import { reportRoutes } from './routes/reports.js';
import { reportPublishingRoutes } from './routes/reports-publishing.js';
import { sessionRoutes } from './routes/session.js';
import { systemRoutes } from './routes/system.js';
import { tagRoutes } from './routes/tag-routes.js';
import { errorCodeCatalog } from './schemas.js';

export const apiInfo = {
  openapi: '3.0.3',
  info: {
    title: 'evidence-portal API',
    version: '0.1.0',
    description:
      'Compliance evidence and agreements: reports, agreements, evidence bundles and a tamper-evident ledger. ' +
      'Errors are application/problem+json (RFC 9457) with a stable `code`.',
  },
} as const;

/** Where a request part is, as field error paths name it (docs/api.md: `body.x`, `query.x`, `path.x`). */
const requestPart: Record<string, string> = { json: 'body', param: 'path', query: 'query' };

/** zod validation failures at the edge become one 400 problem listing every field error. */
const validationHook: Hook<unknown, AppEnv, string, Response | undefined> = (result) => {
  if (result.success) return undefined;
  const part = requestPart[result.target] ?? result.target;
  const errors = fieldErrorsOf(result.error, part);
  return problemResponse(problem(400, 'validation_failed', `The request ${part} is invalid.`, { errors }));
};

/**
 * The one composition of the HTTP API. Runtimes (the local server, the Lambda handler, tests) build
 * `deps` their own way and pass them in; nothing in here reads configuration.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use(
    '*',
    requestContext(deps),
    securityHeaders(deps.settings.uploadOrigins),
    // Before the body is read or a session resolved: in AWS only CloudFront's requests get further.
    originVerify(deps.originSecrets),
    ...bodyGuards(deps.settings.maxBodyBytes, [stsBasePath]),
  );
  // Resolves the session (bearer token or cookie) to a principal before any route's gate runs.
  app.use('/api/*', crossSiteGuard(), authentication());

  app.onError((error, c) => {
    const { problem: body, expected, headers } = problemFromError(error);
    const logger = c.get('logger') ?? deps.logger;
    if (expected) {
      // An integrity fault is an alarm (the ledger module also raised its alert), never routine.
      const level = body.code === 'ledger_integrity_fault' ? 'error' : 'info';
      logger.log(level, 'request refused', { code: body.code, status: body.status });
    } else {
      logger.log('error', 'unhandled error', {
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      });
    }
    return problemResponse(body, headers);
  });

  app.notFound((c) => problemResponse(problem(404, 'route_not_found', `No route for ${c.req.method} ${c.req.path}.`)));

  app.route('/api', systemRoutes());
  app.route('/api', sessionRoutes());
  app.route('/api', meRoutes());
  app.route('/api', accessKeyRoutes());
  app.route('/api', permissionRoutes());
  app.route('/api', organizationRoutes());
  app.route('/api', organizationIdentityRoutes());
  app.route('/api', organizationAccessRoutes());
  app.route('/api', notificationRoutes());
  app.route('/api', agreementRoutes());
  app.route('/api', coverageRoutes());
  app.route('/api', ledgerRoutes());
  app.route('/api', keyRoutes());
  app.route('/api', reportRoutes());
  app.route('/api', reportPublishingRoutes());
  app.route('/api', downloadRoutes());
  app.route('/api', publisherRoutes());
  app.route('/api', evidenceRoutes());
  app.route('/api', tagRoutes());
  // Before /artifact: its STS-compatible endpoint signs with `sts`, not `artifact`.
  app.route(stsBasePath, stsApp());
  app.route(artifactBasePath, artifactApp());
  app.route('/api', organizationOnboardingRoutes());
  app.doc('/api/openapi.json', { ...apiInfo, 'x-error-codes': errorCodeCatalog() } as typeof apiInfo);
  return app;
}

export type PortalApp = ReturnType<typeof createApp>;
