import type { Readable } from 'node:stream';

/** Logical buckets; the adapter maps them to real bucket names from config. */
export type BucketName = 'reports' | 'bundles' | 'checkpoints';

export interface BlobMetadata {
  contentType?: string;
  contentLength?: number;
  /** User metadata (string values only, as S3 allows). */
  metadata?: Record<string, string>;
}

export interface StoredBlob extends BlobMetadata {
  body: Readable;
}

export interface BlobStore {
  put(bucket: BucketName, key: string, body: Uint8Array | Readable, meta?: BlobMetadata): Promise<void>;
  /** Throws NotFoundError when absent. */
  get(bucket: BucketName, key: string): Promise<StoredBlob>;
  /** Undefined when absent. */
  head(bucket: BucketName, key: string): Promise<BlobMetadata | undefined>;
  delete(bucket: BucketName, key: string): Promise<void>;
  /**
   * Keys under `prefix`, in key order (the ledger cross-checks its checkpoint items against the
   * checkpoints bucket this way).
   */
  list(bucket: BucketName, prefix: string): AsyncIterable<string>;
  /** Short-lived URL to download an object without passing it through the API. */
  presignGet(
    bucket: BucketName,
    key: string,
    options: { expiresInSeconds: number; downloadFilename?: string },
  ): Promise<string>;
  /** Short-lived URL to upload an object (Content-Type is signed). */
  presignPut(
    bucket: BucketName,
    key: string,
    options: { expiresInSeconds: number; contentType: string },
  ): Promise<string>;
  ping(): Promise<void>;
}
