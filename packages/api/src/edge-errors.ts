import { errorCatalog } from '@evidence-portal/core';

/** Refusals the HTTP edge gives before any use case runs. */
export const edgeErrors = errorCatalog('api', {
  malformed_request: { kind: 'invalid', description: 'The body is not well-formed JSON.' },
  http_error: { kind: 'invalid', description: 'Another HTTP-level refusal; the status says which.' },
  route_not_found: { kind: 'not_found', description: 'No such route or method.' },
  body_too_large: { kind: 'too_large', description: 'The request body exceeds the limit; files go to presigned URLs.' },
  unsupported_media_type: { kind: 'unsupported', description: 'State-changing requests take application/json.' },
  cross_site_request: {
    kind: 'forbidden',
    description:
      'A state-changing request carrying the session cookie came from another site (Origin / Sec-Fetch-Site); use the console or a bearer token.',
  },
  origin_not_verified: {
    kind: 'forbidden',
    description:
      'The request did not come through the portal site (CloudFront and its WAF): the raw API address is refused.',
  },
  dependency_down: { kind: 'unavailable', description: 'Health check: a backing service is unreachable (`checks`).' },
  internal_error: { kind: 'internal', description: 'A server fault; logged with the request id, no details given.' },
});
