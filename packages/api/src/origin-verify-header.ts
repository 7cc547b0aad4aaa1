/**
 * The header CloudFront adds to every origin request (stacks/web.ts) and the API checks before anything
 * else (middleware/origin-verify.ts). Its value is a Secrets Manager secret; docs/deploy.md says how to
 * rotate it. Kept in a file of its own so the stacks import the name without the HTTP layer.
 */
export const originVerifyHeader = 'x-portal-origin-verify';
