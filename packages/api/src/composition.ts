import {
  createAwsClients,
  DynamoStore,
  KmsEnvelopeKeyring,
  KmsSigner,
  localCredentials,
  S3BlobStore,
} from '@evidence-portal/aws';
import { createUlidGenerator, systemClock } from '@evidence-portal/core';
import type { PortalConfig } from './config.js';
import { denyAllAuthorizer } from './deny-all-authorizer.js';
import type { AppDeps } from './deps.js';
import { createJsonLogger } from './logger.js';

/**
 * Builds the adapters from validated config. The same code serves Lambda (no endpoints: SDK defaults
 * and the function's role) and the local stack (loopback endpoints, dummy credentials).
 */
export function buildDeps(config: PortalConfig, overrides: Partial<AppDeps> = {}): AppDeps {
  const local = config.endpoints;
  const clients = createAwsClients({
    region: config.region,
    ...(local
      ? {
          dynamodbEndpoint: local.dynamodb,
          kmsEndpoint: local.kms,
          s3Endpoint: local.s3,
          credentials: localCredentials,
        }
      : {}),
  });
  const clock = overrides.clock ?? systemClock;
  return {
    store: new DynamoStore(clients.documents, config.tableName),
    signer: new KmsSigner(clients.kms, config.signingKeyArn),
    keyring: new KmsEnvelopeKeyring({
      keyArn: config.dataKeyArn,
      kmsClientConfig: {
        region: config.region,
        ...(local ? { endpoint: local.kms, credentials: localCredentials } : {}),
      },
    }),
    blobs: new S3BlobStore(clients.s3, config.buckets),
    clock,
    ids: createUlidGenerator(clock),
    logger: createJsonLogger(config.logLevel),
    authorizer: denyAllAuthorizer,
    settings: { stage: config.stage, siteOrigin: config.siteOrigin, maxBodyBytes: config.maxBodyBytes },
    ...overrides,
  };
}
