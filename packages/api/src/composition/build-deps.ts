import {
  createAwsClients,
  DynamoStore,
  EmfIntegrityAlarm,
  extensionOriginSecrets,
  KmsEnvelopeKeyring,
  KmsSigner,
  localCredentials,
  presignedUploadOrigin,
  S3BlobStore,
  SqsExportQueue,
  sesMailer,
  systemHostAddresses,
  systemHostResolver,
} from '@evidence-portal/aws';
import {
  composePortal,
  createLedger,
  createUlidGenerator,
  loggingMailer,
  type ReportPdfWork,
  type Store,
  systemClock,
} from '@evidence-portal/core';
import type { PortalConfig } from '../config.js';
import type { AppDeps } from '../deps.js';
import { createJsonLogger } from '../logger.js';
import { LocalExportQueue } from './local-export-queue.js';

/**
 * The composition root of every runtime (Lambda API, each Lambda job, `npm start`, the CLI against a
 * stage, tests): builds the adapters from validated config, then every use case once (`composePortal`).
 * The same code serves Lambda (no endpoints: SDK defaults and the function's role) and the local
 * stack (loopback endpoints, dummy credentials).
 *
 * `overrides` replace adapters (tests: a clock, a counting store, an allow-all authorizer) BEFORE the
 * use cases are built, so every use case sees them; overriding a use case replaces only that one.
 * `wrapStore` wraps whichever store was chosen (the API load bench counts the real DynamoStore's calls).
 * `pdfWork` is where publish-time parsing and full rewrites run: a long-running server passes its
 * worker-thread pool (`createPdfWorkPool`); absent (Lambda, jobs, the CLI), the calling thread.
 */
export function buildDeps(
  config: PortalConfig,
  overrides: Partial<AppDeps> = {},
  options: { wrapStore?: (store: Store) => Store; pdfWork?: ReportPdfWork } = {},
): AppDeps {
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
  const logger = overrides.logger ?? createJsonLogger(config.logLevel);
  const settings = overrides.settings ?? {
    stage: config.stage,
    siteOrigin: config.siteOrigin,
    maxBodyBytes: config.maxBodyBytes,
    uploadOrigins: [
      presignedUploadOrigin({
        region: config.region,
        bucket: config.buckets.reports,
        ...(local ? { s3Endpoint: local.s3 } : {}),
      }),
    ],
  };
  const store = overrides.store ?? new DynamoStore(clients.documents, config.tableName);
  const adapters = {
    store: options.wrapStore ? options.wrapStore(store) : store,
    signer: overrides.signer ?? new KmsSigner(clients.kms, config.signingKeyArn, config.previousSigningKeyArns),
    keyring:
      overrides.keyring ??
      new KmsEnvelopeKeyring({
        keyArn: config.dataKeyArn,
        kmsClientConfig: {
          region: config.region,
          ...(local ? { endpoint: local.kms, credentials: localCredentials } : {}),
        },
      }),
    blobs: overrides.blobs ?? new S3BlobStore(clients.s3, config.buckets),
    clock,
    ids: overrides.ids ?? createUlidGenerator(clock),
    logger,
    // CloudFront's origin-verify values (AWS); the local stack and tests take requests from anywhere.
    ...(config.originVerify
      ? {
          originSecrets: extensionOriginSecrets({
            secretArn: config.originVerify.secretArn,
            sessionToken: config.originVerify.extensionToken,
          }),
        }
      : {}),
    hostNetwork: overrides.hostNetwork ?? { addresses: systemHostAddresses, resolver: systemHostResolver() },
    // SES wherever a sender is configured (every AWS stage: loadConfig requires one there); the log
    // adapter, with tokens redacted, only against the local stack.
    mailer:
      overrides.mailer ?? (config.mail ? sesMailer({ region: config.region, ...config.mail }) : loggingMailer(logger)),
    // SQS in AWS; elsewhere the in-process queue the local runner (or a test) drains.
    exportQueue:
      overrides.exportQueue ??
      (config.exportQueueUrl ? SqsExportQueue.create(config.region, config.exportQueueUrl) : new LocalExportQueue()),
  };
  // The ledger sits on whichever store, signer and blob store were chosen above (overrides included).
  const ledger =
    overrides.ledger ??
    createLedger({
      store: adapters.store,
      clock,
      signer: adapters.signer,
      blobs: adapters.blobs,
      logger,
      // The IntegrityAlert metric the stacks alarm on (an EMF log line).
      alarm: new EmfIntegrityAlarm(settings.stage, logger),
    });
  const portal = composePortal({
    ...adapters,
    ledger,
    keyring: adapters.keyring,
    mail: { mailer: adapters.mailer, siteOrigin: settings.siteOrigin },
    evidencePorts: {
      signer: adapters.signer,
      keyring: adapters.keyring,
      queue: adapters.exportQueue,
      ...(overrides.evidenceSettings ? { settings: overrides.evidenceSettings } : {}),
    },
    ...(overrides.authorizer ? { authorizer: overrides.authorizer } : {}),
    ...(options.pdfWork ? { reportOptions: { pdfWork: options.pdfWork } } : {}),
    ...(settings.sessionTtlSeconds ? { session: { ttlSeconds: settings.sessionTtlSeconds } } : {}),
  });
  return { ...adapters, ledger, ...portal, settings, ...overrides, store: adapters.store };
}
