import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.js';
import { problem, problemContentType } from '../problem.js';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const jsonMediaType = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Request bodies are small JSON documents or nothing: files travel through presigned S3 URLs, never
 * through the API. Oversize -> 413; a body that is not JSON on a state-changing request -> 415.
 */
export function bodyGuards(maxBodyBytes: number): MiddlewareHandler<AppEnv>[] {
  const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (stateChanging.has(c.req.method)) {
      const contentType = c.req.header('content-type');
      const length = c.req.header('content-length');
      const hasBody =
        contentType !== undefined ||
        (length !== undefined && length !== '0') ||
        c.req.header('transfer-encoding') !== undefined;
      if (hasBody && !(contentType && jsonMediaType.test(contentType))) {
        return c.body(
          JSON.stringify(
            problem(415, 'unsupported_media_type', 'State-changing requests take application/json bodies.'),
          ),
          415,
          { 'Content-Type': problemContentType },
        );
      }
    }
    await next();
  };
  const limit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) =>
      c.body(
        JSON.stringify(problem(413, 'body_too_large', `Request bodies are limited to ${maxBodyBytes} bytes.`)),
        413,
        { 'Content-Type': problemContentType },
      ),
  });
  return [limit, jsonOnly];
}
