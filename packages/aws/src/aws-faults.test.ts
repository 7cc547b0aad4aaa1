import 'aws-sdk-client-mock-vitest/extend';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DynamoDBClient, DynamoDBServiceException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DecryptCommand,
  GenerateDataKeyCommand,
  KMS,
  KMSClient,
  KMSServiceException,
  SignCommand,
} from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DependencyAccessDeniedError,
  DependencyUnavailableError,
  IntegrityError,
  NotFoundError,
  TransactionConflictError,
} from '@evidence-portal/core';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoStore } from './dynamo-store.js';
import { KmsEnvelopeKeyring } from './kms-keyring.js';
import { KmsSigner } from './kms-signer.js';
import { S3BlobStore } from './s3-blob-store.js';

/**
 * Faults the local stack cannot produce (throttling, 5xx, access denied, unprocessed keys,
 * transaction conflicts). Each SDK message carries credential-looking text that must not leak.
 */
const leakyText = 'AKIAIOSFODNN7EXAMPLE arn:aws:iam::123456789012:user/alice';
const region = 'us-east-1';
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-a-real-secret' };
const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

type ServiceExceptionClass = new (options: {
  name: string;
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode?: number };
  message: string;
}) => Error;

function sdkError(Base: ServiceExceptionClass, name: string, status: number): Error {
  return new Base({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: leakyText,
  });
}

function expectTranslated(error: unknown, type: new (...args: never[]) => Error, code: string, cause: unknown): void {
  expect(error).toBeInstanceOf(type);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).cause).toBe(cause);
  expect((error as Error).message).not.toContain('AKIA');
  expect((error as Error).message).not.toContain('123456789012');
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

function newDocuments(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ region, credentials }));
}

describe('DynamoStore faults', () => {
  const cases = [
    ['ProvisionedThroughputExceededException', 400, DependencyUnavailableError, 'dependency_unavailable'],
    ['ThrottlingException', 400, DependencyUnavailableError, 'dependency_unavailable'],
    ['RequestLimitExceeded', 400, DependencyUnavailableError, 'dependency_unavailable'],
    ['InternalServerError', 500, DependencyUnavailableError, 'dependency_unavailable'],
    ['ServiceUnavailable', 503, DependencyUnavailableError, 'dependency_unavailable'],
    ['AccessDeniedException', 400, DependencyAccessDeniedError, 'dependency_access_denied'],
    ['UnrecognizedClientException', 400, DependencyAccessDeniedError, 'dependency_access_denied'],
  ] as const;

  it.each(cases)('translates %s (%i) into a typed core error', async (name, status, type, code) => {
    // prepare
    const documents = newDocuments();
    const cause = sdkError(DynamoDBServiceException, name, status);
    mockClient(documents).on(GetCommand).rejects(cause).on(PutCommand).rejects(cause);
    const store = new DynamoStore(documents, 'table');
    // act
    const getError = await failure(store.get({ pk: 'a', sk: 'b' }));
    const putError = await failure(store.put({ pk: 'a', sk: 'b' }, { kind: 'notExists' }));
    // assert
    expectTranslated(getError, type, code, cause);
    expectTranslated(putError, type, code, cause);
    expect((getError as DependencyUnavailableError).dependency).toBe('store');
  });

  it('translates a network failure into a retryable DependencyUnavailableError', async () => {
    // prepare
    const documents = newDocuments();
    const cause = Object.assign(new Error(`connect ECONNREFUSED ${leakyText}`), { code: 'ECONNREFUSED' });
    mockClient(documents).on(GetCommand).rejects(cause);
    // act
    const error = await failure(new DynamoStore(documents, 'table').ping());
    // assert
    expectTranslated(error, DependencyUnavailableError, 'dependency_unavailable', cause);
    expect((error as DependencyUnavailableError).retryable).toBe(true);
  });

  it('translates a transaction cancelled by a concurrent writer into TransactionConflictError', async () => {
    // prepare
    const documents = newDocuments();
    const cause = new TransactionCanceledException({
      $metadata: { httpStatusCode: 400 },
      message: leakyText,
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });
    mockClient(documents).on(TransactWriteCommand).rejects(cause);
    // act
    const error = await failure(
      new DynamoStore(documents, 'table').transact([
        { kind: 'put', item: { pk: 'a', sk: '1' } },
        { kind: 'put', item: { pk: 'a', sk: '2' } },
      ]),
    );
    // assert
    expectTranslated(error, TransactionConflictError, 'transaction_conflict', cause);
  });

  it('retries unprocessed batch keys until all are read', async () => {
    // prepare
    const documents = newDocuments();
    const mock = mockClient(documents);
    mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { table: [{ pk: 'a', sk: '1' }] },
        UnprocessedKeys: { table: { Keys: [{ pk: 'a', sk: '2' }] } },
      })
      .resolvesOnce({ Responses: { table: [{ pk: 'a', sk: '2' }] } });
    // act
    const items = await new DynamoStore(documents, 'table').batchGet([
      { pk: 'a', sk: '1' },
      { pk: 'a', sk: '2' },
    ]);
    // assert
    expect(items).toEqual([
      { pk: 'a', sk: '1' },
      { pk: 'a', sk: '2' },
    ]);
    expect(mock).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(mock).toHaveReceivedNthCommandWith(BatchGetCommand, 2, {
      RequestItems: { table: { Keys: [{ pk: 'a', sk: '2' }] } },
    });
  });
});

describe('DynamoStore coalesced gets', () => {
  it('sends gets issued together as one BatchGetItem per read consistency, and a lone get as a GetItem', async () => {
    // prepare
    const documents = newDocuments();
    const mock = mockClient(documents);
    mock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ sk: string }> }> }) => ({
      Responses: { table: input.RequestItems.table?.Keys.filter((key) => key.sk !== 'missing') ?? [] },
    }));
    mock.on(GetCommand).resolves({ Item: { pk: 'a', sk: 'alone' } });
    const store = new DynamoStore(documents, 'table');
    // act
    const together = await Promise.all([
      store.get({ pk: 'a', sk: '1' }, { consistent: true }),
      store.get({ pk: 'a', sk: '2' }, { consistent: true }),
      store.get({ pk: 'a', sk: '1' }, { consistent: true }),
      store.get({ pk: 'a', sk: 'missing' }, { consistent: true }),
      store.get({ pk: 'a', sk: '3' }),
      store.get({ pk: 'a', sk: '4' }),
    ]);
    const alone = await store.get({ pk: 'a', sk: 'alone' });
    // assert
    expect(together).toEqual([
      { pk: 'a', sk: '1' },
      { pk: 'a', sk: '2' },
      { pk: 'a', sk: '1' },
      undefined,
      { pk: 'a', sk: '3' },
      { pk: 'a', sk: '4' },
    ]);
    expect(alone).toEqual({ pk: 'a', sk: 'alone' });
    expect(mock).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(mock).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        table: {
          Keys: [
            { pk: 'a', sk: '1' },
            { pk: 'a', sk: '2' },
            { pk: 'a', sk: 'missing' },
          ],
          ConsistentRead: true,
        },
      },
    });
    expect(mock).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        table: {
          Keys: [
            { pk: 'a', sk: '3' },
            { pk: 'a', sk: '4' },
          ],
        },
      },
    });
    expect(mock).toHaveReceivedCommandTimes(GetCommand, 1);
  });

  it('fails every get of a failed batch with the translated error, and serves the next turn afresh', async () => {
    // prepare
    const documents = newDocuments();
    const cause = sdkError(DynamoDBServiceException, 'ProvisionedThroughputExceededException', 400);
    const mock = mockClient(documents);
    mock
      .on(BatchGetCommand)
      .rejectsOnce(cause)
      .resolves({ Responses: { table: [{ pk: 'a', sk: '1' }] } });
    const store = new DynamoStore(documents, 'table');
    // act
    const failed = await Promise.allSettled([store.get({ pk: 'a', sk: '1' }), store.get({ pk: 'a', sk: '2' })]);
    const later = await Promise.all([store.get({ pk: 'a', sk: '1' }), store.get({ pk: 'a', sk: '2' })]);
    // assert
    for (const outcome of failed) {
      expect(outcome.status).toBe('rejected');
      expectTranslated(
        (outcome as PromiseRejectedResult).reason,
        DependencyUnavailableError,
        'dependency_unavailable',
        cause,
      );
    }
    expect(later).toEqual([{ pk: 'a', sk: '1' }, undefined]);
  });
});

describe('KmsSigner faults', () => {
  const cases = [
    ['ThrottlingException', 400, DependencyUnavailableError, 'dependency_unavailable'],
    ['LimitExceededException', 400, DependencyUnavailableError, 'dependency_unavailable'],
    ['KMSInternalException', 500, DependencyUnavailableError, 'dependency_unavailable'],
    ['AccessDeniedException', 400, DependencyAccessDeniedError, 'dependency_access_denied'],
    ['DisabledException', 400, DependencyAccessDeniedError, 'dependency_access_denied'],
    ['KMSInvalidStateException', 400, DependencyAccessDeniedError, 'dependency_access_denied'],
  ] as const;

  it.each(cases)('translates %s (%i) from Sign into a typed core error', async (name, status, type, code) => {
    // prepare
    const kms = new KMSClient({ region, credentials });
    const cause = sdkError(KMSServiceException, name, status);
    mockClient(kms).on(SignCommand).rejects(cause);
    // act
    const error = await failure(new KmsSigner(kms, keyArn).signDigest(new Uint8Array(32)));
    // assert
    expectTranslated(error, type, code, cause);
  });
});

describe('KmsEnvelopeKeyring faults', () => {
  function newKeyring() {
    const kms = new KMS({ region, credentials });
    return { kms, mock: mockClient(kms), keyring: new KmsEnvelopeKeyring({ keyArn, kms }) };
  }
  const dataKey = () => ({
    KeyId: keyArn,
    Plaintext: randomBytes(32),
    CiphertextBlob: randomBytes(64),
  });

  it('translates throttling of GenerateDataKey into DependencyUnavailableError', async () => {
    // prepare
    const { mock, keyring } = newKeyring();
    const cause = sdkError(KMSServiceException, 'ThrottlingException', 400);
    mock.on(GenerateDataKeyCommand).rejects(cause);
    // act
    const error = await failure(keyring.encrypt(new Uint8Array([1]), { orgId: 'o' }));
    // assert
    expectTranslated(error, DependencyUnavailableError, 'dependency_unavailable', cause);
  });

  it('reports throttling of Decrypt as unavailability, not as tampering', async () => {
    // prepare
    const { mock, keyring } = newKeyring();
    mock.on(GenerateDataKeyCommand).resolves(dataKey());
    const ciphertext = await keyring.encrypt(new Uint8Array([1, 2, 3]), { orgId: 'o' });
    const cause = sdkError(KMSServiceException, 'ThrottlingException', 400);
    mock.on(DecryptCommand).rejects(cause);
    // act
    const error = await failure(keyring.decrypt(ciphertext, { orgId: 'o' }));
    // assert
    expectTranslated(error, DependencyUnavailableError, 'dependency_unavailable', cause);
  });

  it('reports a denied Decrypt in a stream as DependencyAccessDeniedError', async () => {
    // prepare
    const { mock, keyring } = newKeyring();
    mock.on(GenerateDataKeyCommand).resolves(dataKey());
    const ciphertext = await buffer(keyring.encryptStream(Readable.from([Buffer.from('abc')]), { orgId: 'o' }));
    const cause = sdkError(KMSServiceException, 'AccessDeniedException', 400);
    mock.on(DecryptCommand).rejects(cause);
    // act
    const error = await failure(buffer(keyring.decryptStream(Readable.from([ciphertext]), { orgId: 'o' })));
    // assert
    expectTranslated(error, DependencyAccessDeniedError, 'dependency_access_denied', cause);
  });

  it('reports InvalidCiphertextException from Decrypt as IntegrityError', async () => {
    // prepare
    const { mock, keyring } = newKeyring();
    mock.on(GenerateDataKeyCommand).resolves(dataKey());
    const ciphertext = await keyring.encrypt(new Uint8Array([1]), { orgId: 'o' });
    const cause = sdkError(KMSServiceException, 'InvalidCiphertextException', 400);
    mock.on(DecryptCommand).rejects(cause);
    // act
    const error = await failure(keyring.decrypt(ciphertext, { orgId: 'o' }));
    // assert
    expectTranslated(error, IntegrityError, 'integrity_check_failed', cause);
  });
});

describe('S3BlobStore faults', () => {
  const cases = [
    ['SlowDown', 503, DependencyUnavailableError, 'dependency_unavailable'],
    ['InternalError', 500, DependencyUnavailableError, 'dependency_unavailable'],
    ['ServiceUnavailable', 503, DependencyUnavailableError, 'dependency_unavailable'],
    ['AccessDenied', 403, DependencyAccessDeniedError, 'dependency_access_denied'],
    ['InvalidAccessKeyId', 403, DependencyAccessDeniedError, 'dependency_access_denied'],
    ['NoSuchKey', 404, NotFoundError, 'not_found'],
  ] as const;
  const buckets = { reports: 'r', bundles: 'b', checkpoints: 'c' };

  it.each(cases)('translates %s (%i) into a typed core error', async (name, status, type, code) => {
    // prepare
    const s3 = new S3Client({ region, credentials });
    const cause = sdkError(S3ServiceException, name, status);
    mockClient(s3).on(GetObjectCommand).rejects(cause).on(PutObjectCommand).rejects(cause);
    const blobs = new S3BlobStore(s3, buckets);
    // act
    const getError = await failure(blobs.get('reports', 'k'));
    // assert
    expectTranslated(getError, type, code, cause);
    if (name !== 'NoSuchKey')
      expectTranslated(await failure(blobs.put('reports', 'k', new Uint8Array(1))), type, code, cause);
  });

  it('reports a missing bucket on ping as non-retryable unavailability, not a missing object', async () => {
    // prepare
    const s3 = new S3Client({ region, credentials });
    const cause = sdkError(S3ServiceException, 'NotFound', 404);
    mockClient(s3).on(HeadBucketCommand).rejects(cause);
    // act
    const error = await failure(new S3BlobStore(s3, buckets).ping());
    // assert
    expectTranslated(error, DependencyUnavailableError, 'dependency_unavailable', cause);
    expect((error as DependencyUnavailableError).retryable).toBe(false);
  });
});
