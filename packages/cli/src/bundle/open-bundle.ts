import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import {
  type BundleCheckResult,
  type BundleVerification,
  type BundleVerifyOptions,
  isEncryptedBundle,
  verifyBundleArchive,
} from '@evidence-portal/core/evidence';
import { decryptBundle } from './bundle-decryption.js';

export interface OpenOptions {
  /** The auditor's RSA private key (PEM text): needed for an encrypted bundle. */
  decryptKeyPem?: string;
  /** Bytes of the file read so far (for a progress bar). */
  onBytes?(bytesRead: number, total: number): void;
}

function head(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(3);
    const read = readSync(fd, bytes, 0, 3, 0);
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** A bundle to open: a file, or (tests, pipes) a stream with its first bytes. */
export type BundleSource = string | { stream: Readable; head: Uint8Array; size?: number };

/** The plaintext archive of a bundle: decrypted on the fly when it is an encrypted message. */
export function openBundle(
  input: BundleSource,
  options: OpenOptions,
): { encrypted: boolean; archive: Readable; context?: Promise<Record<string, string>> } {
  const total = typeof input === 'string' ? statSync(input).size : (input.size ?? 0);
  const first = typeof input === 'string' ? head(input) : input.head;
  const source = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input.stream;
  let read = 0;
  const counted = options.onBytes
    ? source.pipe(
        new PassThrough({
          transform(chunk: Buffer, _encoding, callback) {
            read += chunk.length;
            options.onBytes?.(read, total);
            callback(null, chunk);
          },
        }),
      )
    : source;
  if (counted !== source) source.on('error', (error: Error) => counted.destroy(error));
  if (!isEncryptedBundle(first)) return { encrypted: false, archive: counted };
  if (options.decryptKeyPem === undefined) {
    source.destroy();
    throw new Error(
      'this bundle is encrypted: pass --decrypt-key <your RSA private key PEM> (bundles encrypted only to the KMS key open inside the portal)',
    );
  }
  const { plaintext, context } = decryptBundle(counted, options.decryptKeyPem);
  return { encrypted: true, archive: plaintext, context };
}

/**
 * The whole verification of a bundle file: decryption (authenticated frame by frame), the encryption
 * context against the signed predicate, then every check of the plaintext layer.
 */
export async function verifyBundleFile(
  file: BundleSource,
  options: OpenOptions & BundleVerifyOptions,
): Promise<BundleVerification> {
  const opened = openBundle(file, options);
  let decryptFailure: string | undefined;
  opened.archive.on('error', (error) => {
    decryptFailure ??= error.message;
  });
  const result = await verifyBundleArchive(opened.archive, options);
  const checks: BundleCheckResult[] = [];
  if (opened.encrypted) {
    let context: Record<string, string> | undefined;
    try {
      context = await opened.context;
    } catch (error) {
      decryptFailure ??= error instanceof Error ? error.message : String(error);
    }
    checks.push(
      decryptFailure === undefined
        ? { check: 'decrypt', ok: true, detail: 'decrypted with the RSA key; every frame authenticated' }
        : { check: 'decrypt', ok: false, detail: decryptFailure },
    );
    const predicate = result.statement?.predicate;
    if (context && predicate) {
      const ok = context.orgId === predicate.org.id && context.bundleId === predicate.bundleId;
      checks.push({
        check: 'encryption-context',
        ok,
        detail: ok
          ? `orgId ${context.orgId}, bundleId ${context.bundleId}, purpose ${context.purpose}`
          : `the encryption context (orgId ${context.orgId}, bundleId ${context.bundleId}) is not the signed bundle's`,
      });
    } else if (decryptFailure === undefined) {
      checks.push({ check: 'encryption-context', ok: false, detail: 'no signed bundle to compare it with' });
    }
  } else {
    checks.push({ check: 'decrypt', ok: true, detail: 'not encrypted: a plaintext archive (decrypted before)' });
  }
  const all = [...checks, ...result.checks];
  return { ...result, checks: all, valid: all.every((check) => check.ok) };
}
