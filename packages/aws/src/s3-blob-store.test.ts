import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { S3Client } from '@aws-sdk/client-s3';
import { NotFoundError } from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStack } from '../../../test/support/context.js';
import { createAwsClients, localCredentials, presignedUploadOrigin } from './clients.js';
import { attachmentDisposition, S3BlobStore } from './s3-blob-store.js';

describe('S3BlobStore against s3rver', () => {
  let blobs: S3BlobStore;
  beforeAll(() => {
    const info = localStack();
    const { s3 } = createAwsClients({
      region: info.region,
      s3Endpoint: info.s3Endpoint,
      credentials: localCredentials,
    });
    blobs = new S3BlobStore(s3, info.buckets);
  });

  const newKey = (label: string) => `test/${label}/${randomUUID()}`;

  it('puts bytes, gets them back as a stream with metadata, heads and deletes them', async () => {
    // prepare
    const key = newKey('bytes');
    const body = new TextEncoder().encode('%PDF-1.7 report');
    // act
    await blobs.put('reports', key, body, { contentType: 'application/pdf', metadata: { reportid: 'r-1' } });
    const stored = await blobs.get('reports', key);
    const content = await buffer(stored.body);
    const head = await blobs.head('reports', key);
    await blobs.delete('reports', key);
    // assert
    expect(content.toString()).toBe('%PDF-1.7 report');
    expect(stored.contentType).toBe('application/pdf');
    expect(stored.contentLength).toBe(body.byteLength);
    expect(stored.metadata).toEqual({ reportid: 'r-1' });
    expect(head).toMatchObject({ contentType: 'application/pdf', contentLength: body.byteLength });
    expect(await blobs.head('reports', key)).toBeUndefined();
  });

  it('puts a multi-MiB stream (multipart) and gets the same bytes back', async () => {
    // prepare
    const key = newKey('stream');
    const data = randomBytes(12 * 1024 * 1024 + 7);
    const chunks = Array.from({ length: Math.ceil(data.length / 1_000_000) }, (_, i) =>
      data.subarray(i * 1_000_000, (i + 1) * 1_000_000),
    );
    // act
    await blobs.put('bundles', key, Readable.from(chunks), { contentType: 'application/octet-stream' });
    const stored = await blobs.get('bundles', key);
    const content = await buffer(stored.body);
    // assert
    expect(createHash('sha256').update(content).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('answers NotFoundError for a missing object and undefined for its head', async () => {
    // prepare
    const key = newKey('missing');
    // act + assert
    await expect(blobs.get('reports', key)).rejects.toBeInstanceOf(NotFoundError);
    await expect(blobs.head('reports', key)).resolves.toBeUndefined();
  });

  it('uploads through a presigned PUT and downloads through a presigned GET with fetch', async () => {
    // prepare
    const key = newKey('presigned');
    const putUrl = await blobs.presignPut('reports', key, { expiresInSeconds: 300, contentType: 'application/pdf' });
    // act
    const uploaded = await fetch(putUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: 'presigned body',
    });
    const getUrl = await blobs.presignGet('reports', key, {
      expiresInSeconds: 300,
      downloadFilename: 'SOC 2 "Type II".pdf',
    });
    const downloaded = await fetch(getUrl);
    // assert
    expect(uploaded.status).toBe(200);
    expect(new URL(putUrl).searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe('presigned body');
    expect(downloaded.headers.get('content-disposition')).toBe(attachmentDisposition('SOC 2 "Type II".pdf'));
  });

  it('builds an attachment disposition that cannot break out of its quotes', () => {
    expect(attachmentDisposition('a"b\\c\r\nd é.pdf')).toBe(
      `attachment; filename="a_b_c__d _.pdf"; filename*=UTF-8''a%22b%5Cc%0D%0Ad%20%C3%A9.pdf`,
    );
  });

  it('pings the reports bucket', async () => {
    await expect(blobs.ping()).resolves.toBeUndefined();
  });
});

describe('S3BlobStore presigning with the SDK default checksum setting (as in AWS)', () => {
  it('signs Content-Type and leaves no empty-body checksum in a presigned PUT', async () => {
    // prepare
    const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
    const blobs = new S3BlobStore(s3, { reports: 'reports-bucket', bundles: 'b', checkpoints: 'c' });
    // act
    const url = new URL(
      await blobs.presignPut('reports', 'k', { expiresInSeconds: 60, contentType: 'application/pdf' }),
    );
    // assert
    const names = [...url.searchParams.keys()].map((name) => name.toLowerCase());
    expect(names.some((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm')).toBe(
      false,
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
  });
});

describe('presignedUploadOrigin', () => {
  it('names the origin the SDK signs presigned PUTs for, in AWS and against the local S3', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
    for (const region of ['us-east-1', 'eu-west-1']) {
      const blobs = new S3BlobStore(new S3Client({ region, credentials }), {
        reports: 'portal-reports-bucket',
        bundles: 'b',
        checkpoints: 'c',
      });
      const url = await blobs.presignPut('reports', 'originals/k.pdf', {
        expiresInSeconds: 60,
        contentType: 'application/pdf',
      });
      expect(new URL(url).origin).toBe(presignedUploadOrigin({ region, bucket: 'portal-reports-bucket' }));
    }
    const info = localStack();
    const { s3 } = createAwsClients({
      region: info.region,
      s3Endpoint: info.s3Endpoint,
      credentials: localCredentials,
    });
    const local = await new S3BlobStore(s3, info.buckets).presignPut('reports', 'originals/k.pdf', {
      expiresInSeconds: 60,
      contentType: 'application/pdf',
    });
    expect(new URL(local).origin).toBe(
      presignedUploadOrigin({ region: info.region, bucket: info.buckets.reports, s3Endpoint: info.s3Endpoint }),
    );
  });
});
