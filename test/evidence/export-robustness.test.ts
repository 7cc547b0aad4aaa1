import {
  DescribeKeyCommand,
  GenerateDataKeyCommand,
  GetPublicKeyCommand,
  KMS,
  KMSClient,
  KMSServiceException,
  SignCommand,
} from '@aws-sdk/client-kms';
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type AppDeps, buildJobs } from '@evidence-portal/api';
import { createAwsClients, KmsEnvelopeKeyring, KmsSigner, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import {
  type BlobStore,
  bundleFromItem,
  bundleItem,
  bundleObjectKey,
  type EvidenceBundle,
  evidenceKeys,
} from '@evidence-portal/core';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { localStack } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';

/**
 * The export job against faults the local stack cannot produce (throttling, 5xx, access denied):
 * the S3 client of the bundles bucket and the KMS clients are stubbed with aws-sdk-client-mock, and
 * every call a test does not fail is forwarded to the real local S3 and KMS, so a bundle that
 * survives its faults is a real one.
 */
const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function s3Fault(name: string, status: number) {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} (test)`,
  });
}
function kmsFault(name: string, status: number) {
  return new KMSServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} (test)`,
  });
}

type Command = new (input: never) => { input: unknown };
/** Calls not failed by a test reach the real service. */
function forward<C extends Command>(
  stub: AwsClientStub<S3Client> | AwsClientStub<KMSClient>,
  real: { send(command: never): Promise<unknown> },
  command: C,
) {
  // biome-ignore lint/suspicious/noExplicitAny: the stub's typing is per client; the command is the same class.
  (stub as AwsClientStub<any>)
    .on(command as never)
    .callsFake((input: unknown) => real.send(new command(input as never) as never));
}

describe('the export job under S3 and KMS faults, and across a restart of the local runner', () => {
  const info = localStack();
  const real = createAwsClients({
    region: info.region,
    kmsEndpoint: info.kmsEndpoint,
    s3Endpoint: info.s3Endpoint,
    credentials: localCredentials,
  });
  const bundlesS3 = new S3Client({ region: info.region, credentials: localCredentials });
  const keyringKms = new KMS({ region: info.region, credentials: localCredentials });
  const signerKms = new KMSClient({ region: info.region, credentials: localCredentials });
  const s3 = mockClient(bundlesS3);
  const keyringStub = mockClient(keyringKms);
  const signerStub = mockClient(signerKms);
  const realKms = new KMS({ region: info.region, endpoint: info.kmsEndpoint, credentials: localCredentials });

  function reset() {
    for (const stub of [s3, keyringStub, signerStub]) stub.reset();
    for (const command of [PutObjectCommand, DeleteObjectCommand, HeadObjectCommand, CreateMultipartUploadCommand])
      forward(s3, real.s3, command);
    forward(keyringStub, realKms, GenerateDataKeyCommand);
    forward(keyringStub, realKms, DescribeKeyCommand);
    for (const command of [SignCommand, GetPublicKeyCommand, DescribeKeyCommand])
      forward(signerStub, real.kms, command);
  }

  // Test files share a worker's modules (isolate: false): the stubs are on this file's own client instances, and
  // are taken off them when it ends.
  afterAll(() => {
    for (const stub of [s3, keyringStub, signerStub]) stub.restore();
    for (const client of [bundlesS3, keyringKms, signerKms, realKms, real.s3, real.kms, real.dynamodb])
      client.destroy();
  });

  let deps: AppDeps;
  let client: ReturnType<typeof asPrincipal>;
  let orgId: string;
  let tableName: string;
  let checkpointsBucket: string;
  beforeAll(async () => {
    reset();
    // The bundles bucket through the stubbed client; reports and checkpoints through the real one.
    let bundles: BlobStore | undefined;
    let others: BlobStore | undefined;
    const blobs = new Proxy({} as BlobStore, {
      get:
        (_, operation: keyof BlobStore) =>
        (bucket: string, ...rest: unknown[]) => {
          const store = (bucket === 'bundles' ? bundles : others) as BlobStore;
          return (store[operation] as (...args: unknown[]) => unknown).call(store, bucket, ...rest);
        },
    });
    const app = await createTestApp({
      overrides: {
        authorizer: allowAllAuthorizer,
        blobs,
        keyring: new KmsEnvelopeKeyring({ keyArn: info.dataKeyArn, kms: keyringKms }),
        signer: new KmsSigner(signerKms, info.signingKeyArn),
        evidenceSettings: { exportsPerWindow: 50, exportRetry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 } },
      },
    });
    bundles = new S3BlobStore(bundlesS3, app.config.buckets);
    others = new S3BlobStore(real.s3, app.config.buckets);
    deps = app.deps;
    tableName = app.tableName;
    checkpointsBucket = app.config.buckets.checkpoints;
    const boot = await deps.bootstrap({ orgName: 'Flaky Corp', adminEmail: 'admin@flaky.example' });
    orgId = boot.organization.orgId;
    client = asPrincipal(
      app.app,
      testPrincipal({ orgId, accountId: boot.organization.managementAccountId, userId: boot.adminUserId }),
    );
    expect((await client.request('/api/ledger/checkpoints', { method: 'POST' })).status).toBeLessThan(300);
  });

  async function exportOnce(purpose: string): Promise<{ bundle: EvidenceBundle; attempts: unknown }> {
    const requested = await client.request(
      '/api/evidence-bundles',
      post({ purpose, ledger: { fromSeq: 1, toSeq: 1 } }),
    );
    expect(requested.status).toBe(202);
    const { bundleId } = (await requested.json()) as { bundleId: string };
    await buildJobs(deps).runQueuedExports();
    const bundle = (await (await client.request(`/api/evidence-bundles/${bundleId}`)).json()) as EvidenceBundle;
    const exported = await deps.ledger.list(orgId, { action: 'evidence:BundleExported' });
    const entry = exported.items.find((item) => item.details.bundleId === bundleId);
    return { bundle, attempts: entry?.details.attempts };
  }
  const putsToBundles = () => s3.commandCalls(PutObjectCommand).length;
  const objectLeft = async (bundleId: string) =>
    (await real.s3
      .send(new HeadObjectCommand({ Bucket: info.buckets.bundles, Key: bundleObjectKey(orgId, bundleId) }))
      .then(() => true)
      .catch(() => false)) as boolean;

  it('retries S3 throttling and 5xx and KMS throttling and 5xx with backoff, then the bundle is ready', async () => {
    reset();
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Fault('SlowDown', 503))
      .rejectsOnce(s3Fault('InternalError', 500))
      .callsFake((input) => real.s3.send(new PutObjectCommand(input)));
    const s3Result = await exportOnce('S3 throttled, then 5xx');
    const s3Puts = putsToBundles();

    reset();
    keyringStub
      .on(GenerateDataKeyCommand)
      .rejectsOnce(kmsFault('ThrottlingException', 400))
      .callsFake((input) => realKms.send(new GenerateDataKeyCommand(input)));
    signerStub
      .on(SignCommand)
      .rejectsOnce(kmsFault('KMSInternalException', 500))
      .callsFake((input) => real.kms.send(new SignCommand(input)));
    const kmsResult = await exportOnce('KMS throttled, then 5xx');

    expect(s3Result.bundle).toMatchObject({ state: 'ready', progress: { percent: 100 } });
    expect(s3Puts).toBe(3);
    expect(s3Result.attempts).toBe(3);
    expect(kmsResult.bundle).toMatchObject({ state: 'ready' });
    expect(kmsResult.attempts).toBe(3);
    expect(await objectLeft(s3Result.bundle.bundleId)).toBe(true);
  });

  it('ends in a clear failed state when the faults outlast the attempts, or at once on access denied', async () => {
    reset();
    keyringStub.on(GenerateDataKeyCommand).rejects(kmsFault('ThrottlingException', 400));
    const throttled = await exportOnce('KMS throttled throughout');
    const dataKeyCalls = keyringStub.commandCalls(GenerateDataKeyCommand).length;

    reset();
    s3.on(PutObjectCommand).rejects(s3Fault('AccessDenied', 403));
    const denied = await exportOnce('S3 refuses the role');
    const deniedPuts = putsToBundles();

    const failures = await deps.ledger.list(orgId, { action: 'evidence:ExportFailed' });

    expect(throttled.bundle).toMatchObject({ state: 'failed' });
    expect(throttled.bundle.failure).toMatch(
      /^KMS was unavailable or throttling \(.*ThrottlingException.*\); tried 4 times/,
    );
    expect(dataKeyCalls).toBe(4);
    expect(denied.bundle).toMatchObject({ state: 'failed' });
    expect(denied.bundle.failure).toMatch(/refused access to S3 .*AccessDenied.*not retried/);
    expect(deniedPuts).toBe(1);
    expect(await objectLeft(throttled.bundle.bundleId)).toBe(false);
    expect(await objectLeft(denied.bundle.bundleId)).toBe(false);
    expect(failures.items.map((entry) => entry.details.bundleId)).toEqual(
      expect.arrayContaining([throttled.bundle.bundleId, denied.bundle.bundleId]),
    );
    // The failure says why and nothing secret: no ARN, account or key material.
    expect(`${throttled.bundle.failure} ${denied.bundle.failure}`).not.toMatch(/arn:|\d{12}/);
  });

  it('after a restart, the local runner builds the bundles left queued and fails the ones cut off mid-build', async () => {
    reset();
    // Two requests the previous run never finished: one still queued, one that was being built.
    const request = async (purpose: string) => {
      const response = await client.request(
        '/api/evidence-bundles',
        post({ purpose, ledger: { fromSeq: 1, toSeq: 1 } }),
      );
      return ((await response.json()) as { bundleId: string }).bundleId;
    };
    const queuedId = await request('queued when the portal stopped');
    const runningId = await request('running when the portal stopped');
    const running = bundleFromItem((await deps.store.get(evidenceKeys.bundle(orgId, runningId)))!);
    await deps.store.put(bundleItem({ ...running, state: 'running', version: running.version + 1 }), {
      kind: 'equals',
      attribute: 'version',
      value: running.version,
    });

    // The restart: a new process on the same table and buckets, with an empty in-memory queue.
    const restarted = await createTestApp({
      tableName,
      environment: { PORTAL_CHECKPOINTS_BUCKET: checkpointsBucket },
      overrides: { authorizer: allowAllAuthorizer },
    });
    const jobs = buildJobs(restarted.deps);
    const recovered = await jobs.startExportRunner();
    await jobs.runQueuedExports();
    const after = asPrincipal(restarted.app, testPrincipal({ orgId, userId: 'u-after' }));
    const read = async (bundleId: string) =>
      (await (await after.request(`/api/evidence-bundles/${bundleId}`)).json()) as EvidenceBundle;
    const [resumed, interrupted] = [await read(queuedId), await read(runningId)];
    const again = await after.request(
      '/api/evidence-bundles',
      post({ purpose: 'running when the portal stopped', ledger: { fromSeq: 1, toSeq: 1 } }),
    );

    expect(recovered).toEqual({ resumed: 1, interrupted: 1 });
    expect(resumed.state).toBe('ready');
    expect(interrupted).toMatchObject({
      state: 'failed',
      failure: expect.stringMatching(
        /^The export was interrupted: the portal stopped while building it\. Request it again\.$/,
      ),
    });
    expect(await objectLeft(runningId)).toBe(false);
    expect(again.status).toBe(202);
  });
});
