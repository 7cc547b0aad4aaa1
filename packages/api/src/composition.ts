import {
  createAwsClients,
  DynamoStore,
  EmfIntegrityAlarm,
  KmsEnvelopeKeyring,
  KmsSigner,
  localCredentials,
  S3BlobStore,
} from '@evidence-portal/aws';
import {
  AccessService,
  AgreementService,
  createLedger,
  createUlidGenerator,
  ledgerJoinLookup,
  ReportService,
  StoreMembershipHistory,
  systemClock,
} from '@evidence-portal/core';
import type { PortalConfig } from './config.js';
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
  const base = {
    store: new DynamoStore(clients.documents, config.tableName),
    signer: new KmsSigner(clients.kms, config.signingKeyArn, config.previousSigningKeyArns),
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
    settings: {
      stage: config.stage,
      siteOrigin: config.siteOrigin,
      maxBodyBytes: config.maxBodyBytes,
      // Presigned uploads go to the local S3 endpoint, another origin than the site's.
      ...(local ? { uploadOrigins: [new URL(local.s3).origin] } : {}),
    },
    ...overrides,
  };
  // The ledger sits on whichever store, signer and blob store were chosen above (overrides included).
  const ledger =
    overrides.ledger ??
    createLedger({
      store: base.store,
      clock,
      signer: base.signer,
      blobs: base.blobs,
      logger: base.logger,
      // The IntegrityAlert metric the stacks alarm on (an EMF log line).
      alarm: new EmfIntegrityAlarm(base.settings.stage, base.logger),
    });
  // Authorization loads policies from the same store and records worth-keeping denials in the ledger.
  const authorizer =
    overrides.authorizer ?? new AccessService({ store: base.store, clock, ids: base.ids, ledger, logger: base.logger });
  const agreements =
    overrides.agreements ??
    new AgreementService({
      store: base.store,
      clock,
      ids: base.ids,
      ledger,
      membership: new StoreMembershipHistory(base.store, ledgerJoinLookup(ledger)),
    });
  const reports =
    overrides.reports ?? new ReportService({ store: base.store, clock, ids: base.ids, blobs: base.blobs, ledger });
  return { ...base, ledger, authorizer, agreements, reports };
}
