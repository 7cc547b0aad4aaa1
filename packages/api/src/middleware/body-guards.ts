import { canonicalJsonProblem } from '@evidence-portal/core';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.js';
import { problem, problemContentType } from '../problem.js';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const jsonMediaType = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Request bodies are small JSON documents or nothing: files travel through presigned S3 URLs, never
 * through the API. Oversize -> 413; a body that is not JSON on a state-changing request -> 415, except
 * under `formPaths` (the STS-compatible endpoint: STS's query protocol posts form bodies).
 */
export function bodyGuards(maxBodyBytes: number, formPaths: readonly string[] = []): MiddlewareHandler<AppEnv>[] {
  const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    const form =
      formPaths.some((path) => c.req.path === path || c.req.path.startsWith(`${path}/`)) &&
      /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(c.req.header('content-type') ?? '');
    if (stateChanging.has(c.req.method) && !form) {
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
  return [limit, jsonOnly, canonicalJsonOnly];
}

/**
 * Every JSON body must have an RFC 8785 form, checked once here for all routes: what the portal
 * records goes into the ledger's hashed entries, and RFC 8785 requires canonicalization to fail on a
 * lone surrogate (`"\ud800"`) rather than change it. Holes in arrays and `undefined` members are not
 * JSON at all, so the route's parser refuses those (400 malformed_request). The field is named as the
 * edge names fields: `body.document.Statement[0].Sid`.
 */
const canonicalJsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const contentType = c.req.header('content-type');
  if (!c.req.raw.body || !contentType || !jsonMediaType.test(contentType)) return next();
  let value: unknown;
  try {
    // Cached by hono: the route's validator parses the same text again.
    value = JSON.parse(await c.req.text());
  } catch {
    return next();
  }
  const found = canonicalJsonProblem(value, 'body');
  if (!found) return next();
  return c.body(
    JSON.stringify(
      problem(400, 'validation_failed', 'The request body has no canonical JSON (RFC 8785) form.', {
        errors: [{ path: found.path, message: found.message }],
      }),
    ),
    400,
    { 'Content-Type': problemContentType },
  );
};
