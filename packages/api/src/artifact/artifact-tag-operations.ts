import { DomainError, ValidationError } from '@evidence-portal/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { callerOf } from '../route-kit.js';
import { ArtifactError } from './artifact-errors.js';
import { parseBody } from './artifact-input.js';

/**
 * ListTagsForResource, TagResource, UntagResource (artifact/2018-05-10: `/tags/{resourceArn}`) over the
 * tags use cases, which resolve the ARN (the Artifact ARNs ListReports, GetReportMetadata and
 * ListAgreements answer, or the portal's own), ask `authorize` and write with the ledger entry. botocore
 * percent-encodes the whole ARN into one path segment (`arn%3Aaws%3Aartifact%3A…%3Areport%2Freport-…`);
 * an ARN sent with its `/` unencoded (curl by hand) is read the same way.
 */
function resourceArnOf(c: Context<AppEnv>): string {
  const path = new URL(c.req.url).pathname;
  const at = path.indexOf('/tags/');
  try {
    return decodeURIComponent(path.slice(at + '/tags/'.length));
  } catch {
    throw new ValidationError('The resource ARN is not percent-encoded correctly.', [
      { path: 'resourceArn', message: 'malformed percent-encoding' },
    ]);
  }
}

/** Tag writes that kept losing races answer as Artifact's retryable error (the model has no ConflictException here). */
async function retryable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'concurrent_change') {
      throw new ArtifactError('ThrottlingException', 'The tags changed concurrently; retry.', { retryAfterSeconds: 1 });
    }
    throw error;
  }
}

// The members' own rules (keys, values, at most 50) are the use case's: its field errors become ValidationException.
const tagBody = z.object({ tags: z.record(z.string(), z.string()) });

export function artifactTagOperations() {
  const app = new Hono<AppEnv>();

  app.get('/tags/*', async (c) => {
    const answer = await c.get('deps').tags.list(callerOf(c), { resourceArn: resourceArnOf(c) });
    return c.json({ tags: { ...answer.tags } });
  });

  app.post('/tags/*', async (c) => {
    const resourceArn = resourceArnOf(c);
    const { tags } = await parseBody(c, tagBody);
    await retryable(() => c.get('deps').tags.tag(callerOf(c), { resourceArn, tags }));
    return c.body(null, 204);
  });

  app.delete('/tags/*', async (c) => {
    const resourceArn = resourceArnOf(c);
    const tagKeys = new URL(c.req.url).searchParams.getAll('tagKeys');
    await retryable(() => c.get('deps').tags.untag(callerOf(c), { resourceArn, tagKeys }));
    return c.body(null, 204);
  });

  return app;
}
