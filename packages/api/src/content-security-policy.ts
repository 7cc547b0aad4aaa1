/**
 * The portal's Content-Security-Policy, in one place: the API's security headers (every response,
 * including the SPA the local server serves) and CloudFront's response headers policy for the SPA in
 * AWS (stacks/web.ts) both build it here. No imports, so the stacks can load it without the app.
 */
export interface ContentSecurityPolicyOptions {
  /** A per-response nonce for the one page that carries inline code (the API docs). */
  nonce?: string;
  /**
   * Origins the browser PUTs report files to with presigned URLs (connect-src): the local S3 endpoint
   * on `npm start`, the reports bucket's S3 origin in AWS.
   */
  uploadOrigins?: readonly string[];
}

export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const selfOrNonce = options.nonce ? `'self' 'nonce-${options.nonce}'` : `'self'`;
  return [
    `default-src 'self'`,
    `script-src ${selfOrNonce}`,
    `style-src ${selfOrNonce}`,
    `img-src 'self' data:`,
    ['connect-src', `'self'`, ...(options.uploadOrigins ?? [])].join(' '),
    `font-src 'self'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `frame-ancestors 'none'`,
    `form-action 'self'`,
  ].join('; ');
}
