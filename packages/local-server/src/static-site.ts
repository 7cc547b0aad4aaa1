import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppEnv } from '@evidence-portal/api';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/**
 * Serves the built SPA (web/dist) next to the API, as CloudFront does in AWS: real files first, then
 * index.html for client-side routes. /api/* is never shadowed.
 */
export function mountStaticSite(app: Hono<AppEnv>, distDir: string): void {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`The web app is not built (${distDir}/index.html missing): run \`npm run build:web\`.`);
  }
  const notApi = (path: string) => !path.startsWith('/api/') && path !== '/api';
  const files = serveStatic({ root: distDir });
  const spaFallback = serveStatic({ root: distDir, rewriteRequestPath: () => '/index.html' });
  app.use('*', async (c, next) => {
    if (!notApi(c.req.path) || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    return files(c, async () => {
      // Called directly (not through hono's compose), so its response must be put on the context by hand:
      // otherwise every deep link (/reports?…) answered 500.
      const response = await spaFallback(c, next);
      if (response) c.res = response;
    });
  });
}
