import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobMetadata, BlobStore, BucketName, StoredBlob } from '@evidence-portal/core';
import { DependencyUnavailableError, NotFoundError, ValidationError } from '@evidence-portal/core';
import { translateS3Error, UnexpectedDependencyError } from './aws-errors.js';

/** SigV4 presigned URLs live at most 7 days. */
const maxPresignSeconds = 7 * 24 * 3600;

function checkExpiry(expiresInSeconds: number): void {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > maxPresignSeconds) {
    throw new ValidationError('Invalid presigned URL lifetime', [
      { path: 'expiresInSeconds', message: `must be an integer from 1 to ${maxPresignSeconds}` },
    ]);
  }
}

/**
 * `attachment` with both an ASCII fallback and the RFC 5987 UTF-8 name, so quotes, control
 * characters or non-ASCII in a report title can neither break the header nor be lost.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * With the SDK's default checksum setting a presigned PUT carries the CRC32 of an empty body, so
 * every real upload through it fails; the uploader's body is unknown at signing time, so the
 * checksum headers are dropped whatever the client's configuration.
 */
function dropChecksumHeaders(request: unknown): void {
  const headers = (request as { headers?: Record<string, string> }).headers ?? {};
  for (const header of Object.keys(headers)) {
    if (header.startsWith('x-amz-checksum-') || header === 'x-amz-sdk-checksum-algorithm') delete headers[header];
  }
}

/** The BlobStore port over S3; logical bucket names map to the deployment's real buckets. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: Record<BucketName, string>,
  ) {}

  async put(bucket: BucketName, key: string, body: Uint8Array | Readable, meta: BlobMetadata = {}): Promise<void> {
    const params = {
      Bucket: this.buckets[bucket],
      Key: key,
      Body: body,
      ...(meta.contentType !== undefined ? { ContentType: meta.contentType } : {}),
      ...(meta.metadata !== undefined ? { Metadata: meta.metadata } : {}),
    };
    if (body instanceof Readable) {
      // Unknown length: lib-storage sends one PutObject for small bodies and a multipart upload otherwise.
      await this.call('Upload', () => new Upload({ client: this.s3, params }).done());
      return;
    }
    await this.call('PutObject', () =>
      this.s3.send(new PutObjectCommand({ ...params, Body: body, ContentLength: body.byteLength })),
    );
  }

  async get(bucket: BucketName, key: string): Promise<StoredBlob> {
    const result = await this.call('GetObject', () =>
      this.s3.send(new GetObjectCommand({ Bucket: this.buckets[bucket], Key: key })),
    );
    if (!(result.Body instanceof Readable)) {
      throw new UnexpectedDependencyError('s3', 'S3 GetObject returned no stream body');
    }
    return {
      body: result.Body,
      ...(result.ContentType !== undefined ? { contentType: result.ContentType } : {}),
      ...(result.ContentLength !== undefined ? { contentLength: result.ContentLength } : {}),
      ...(result.Metadata !== undefined ? { metadata: result.Metadata } : {}),
    };
  }

  async head(bucket: BucketName, key: string): Promise<BlobMetadata | undefined> {
    try {
      const result = await this.call('HeadObject', () =>
        this.s3.send(new HeadObjectCommand({ Bucket: this.buckets[bucket], Key: key })),
      );
      return {
        ...(result.ContentType !== undefined ? { contentType: result.ContentType } : {}),
        ...(result.ContentLength !== undefined ? { contentLength: result.ContentLength } : {}),
        ...(result.Metadata !== undefined ? { metadata: result.Metadata } : {}),
      };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async delete(bucket: BucketName, key: string): Promise<void> {
    await this.call('DeleteObject', () =>
      this.s3.send(new DeleteObjectCommand({ Bucket: this.buckets[bucket], Key: key })),
    );
  }

  async *list(bucket: BucketName, prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.buckets[bucket],
            Prefix: prefix,
            ...(token !== undefined ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async presignGet(
    bucket: BucketName,
    key: string,
    options: { expiresInSeconds: number; downloadFilename?: string },
  ): Promise<string> {
    checkExpiry(options.expiresInSeconds);
    const command = new GetObjectCommand({
      Bucket: this.buckets[bucket],
      Key: key,
      ...(options.downloadFilename !== undefined
        ? { ResponseContentDisposition: attachmentDisposition(options.downloadFilename) }
        : {}),
    });
    return this.call('PresignGetObject', () => getSignedUrl(this.s3, command, { expiresIn: options.expiresInSeconds }));
  }

  async presignPut(
    bucket: BucketName,
    key: string,
    options: { expiresInSeconds: number; contentType: string },
  ): Promise<string> {
    checkExpiry(options.expiresInSeconds);
    const command = new PutObjectCommand({ Bucket: this.buckets[bucket], Key: key, ContentType: options.contentType });
    // Build step, low priority: runs after the SDK's checksum middleware has added its headers.
    command.middlewareStack.add(
      (next) => async (args) => {
        dropChecksumHeaders(args.request);
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'dropPresignedChecksum' },
    );
    // Signing Content-Type stops an uploader from storing, say, text/html where a PDF was granted.
    return this.call('PresignPutObject', () =>
      getSignedUrl(this.s3, command, {
        expiresIn: options.expiresInSeconds,
        signableHeaders: new Set(['content-type']),
      }),
    );
  }

  async ping(): Promise<void> {
    try {
      await this.call('HeadBucket', () => this.s3.send(new HeadBucketCommand({ Bucket: this.buckets.reports })));
    } catch (error) {
      // A missing bucket is a broken deployment, not a missing object.
      if (error instanceof NotFoundError) {
        throw new DependencyUnavailableError('s3', 'S3 HeadBucket: bucket missing', false, { cause: error.cause });
      }
      throw error;
    }
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateS3Error(operation, error);
    }
  }
}
