import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { originVerifyHeader } from '../origin-verify-header.js';
import { problem, problemResponse } from '../problem.js';

/**
 * The values CloudFront may send in the origin-verify header: the secret's current value and, while a
 * rotation is under way (the new value put, the distribution not yet redeployed), its previous one.
 */
export interface OriginSecrets {
  values(): Promise<readonly string[]>;
}

/** Equal-length digests, so the comparison takes the same time whatever the offered value is. */
function sameSecret(offered: string, expected: string): boolean {
  const a = createHash('sha256').update(offered, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * The deployed API is reached through CloudFront and its WAF only: a request to the raw execute-api URL
 * lacks the header CloudFront adds, and is refused with 403 `origin_not_verified` before the body is read
 * or a session resolved. Absent `secrets` (the local stack, tests), every request passes. The header's
 * value is never logged or echoed; every candidate is compared, in constant time.
 */
export function originVerify(secrets: OriginSecrets | undefined): MiddlewareHandler<AppEnv> {
  if (!secrets) return async (_c, next) => next();
  return async (c, next) => {
    const offered = c.req.header(originVerifyHeader);
    let verified = false;
    if (offered !== undefined && offered !== '') {
      for (const expected of await secrets.values()) verified = sameSecret(offered, expected) || verified;
    }
    if (!verified) {
      return problemResponse(
        problem(403, 'origin_not_verified', 'This address does not serve the portal; use the site address.'),
      );
    }
    await next();
  };
}
