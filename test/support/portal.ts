import { silentLogger } from '@evidence-portal/api';
import { createAwsClients, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import { composePortal, type Portal, type PortalPorts } from '@evidence-portal/core';
import { localStack } from './context.js';

/** The loopback stack's S3 buckets as the blob store. */
export function testBlobs(): S3BlobStore {
  const info = localStack();
  const { s3 } = createAwsClients({ region: info.region, s3Endpoint: info.s3Endpoint, credentials: localCredentials });
  return new S3BlobStore(s3, info.buckets);
}

/**
 * Every use case composed by the same code the runtimes use (`composePortal`) over the ports a test
 * chose (a faulty store, a manual clock, a recording ledger); blobs default to the loopback S3.
 */
export function testPortal(
  ports: Omit<PortalPorts, 'blobs' | 'logger'> & Partial<Pick<PortalPorts, 'blobs' | 'logger'>>,
): Portal {
  return composePortal({ blobs: testBlobs(), logger: silentLogger, ...ports });
}
