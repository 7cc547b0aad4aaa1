import type { Hook } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env.js';
import type { AppDeps } from './deps.js';
import { bodyGuards } from './middleware/body-guards.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { type Problem, problem, problemContentType, problemFromError } from './problem.js';
import { systemRoutes } from './routes/system.js';

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

/** zod validation failures at the edge become one 400 problem listing every field error. */
const validationHook: Hook<unknown, AppEnv, string, Response | undefined> = (result) => {
  if (result.success) return undefined;
  const errors = result.error.issues.map((issue) => ({
    path: [result.target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return problemJson(problem(400, 'validation_failed', `The request ${result.target} is invalid.`, { errors }));
};

function problemJson(body: Problem): Response {
  return new Response(JSON.stringify(body), { status: body.status, headers: { 'Content-Type': problemContentType } });
}

/**
 * The one composition of the HTTP API. Runtimes (the local server, the Lambda handler, tests) build
 * `deps` their own way and pass them in; nothing in here reads configuration.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requestContext(deps), securityHeaders(), ...bodyGuards(deps.settings.maxBodyBytes));

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const status = error.status;
      const code = status === 400 ? 'malformed_request' : status === 401 ? 'unauthenticated' : 'http_error';
      return problemJson(problem(status, code, error.message || 'The request could not be processed.'));
    }
    const { problem: body, expected } = problemFromError(error);
    const logger = c.get('logger') ?? deps.logger;
    if (expected) {
      logger.log('info', 'request refused', { code: body.code, status: body.status });
    } else {
      logger.log('error', 'unhandled error', {
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      });
    }
    const response = problemJson(body);
    if (body.status === 503) response.headers.set('Retry-After', '5');
    return response;
  });

  app.notFound((c) => problemJson(problem(404, 'route_not_found', `No route for ${c.req.method} ${c.req.path}.`)));

  app.route('/api', systemRoutes());
  app.doc('/api/openapi.json', apiInfo);
  return app;
}

export type PortalApp = ReturnType<typeof createApp>;
