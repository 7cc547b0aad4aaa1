import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import type { Signer, SigningPublicKey } from '../ports/crypto.js';
import {
  archiveNames,
  type BundlePredicate,
  type BundleStatement,
  type BundleSubject,
  bundlePredicateType,
  dssePayloadType,
  isBundlePath,
  serializeStatement,
  statementType,
} from './bundle-format.js';
import { canonicalPem, signEnvelope } from './dsse.js';
import { verifyGuide } from './verify-guide.js';

/**
 * One evidence file to put in a bundle, opened only when its turn comes (a report is watermarked
 * then): its size is known before its bytes flow, since the tar header precedes them.
 */
export interface BundleFileSource {
  path: string;
  open(): Promise<{ size: number; body: Readable }> | { size: number; body: Readable };
}

export interface BundleProgress {
  filesDone: number;
  bytesDone: number;
}

export interface BundleArchiveInput {
  files: readonly BundleFileSource[];
  /** Everything but the signing key, which the writer fills from the signer. */
  predicate: Omit<BundlePredicate, 'signingKey'>;
  signer: Pick<Signer, 'signDigest'>;
  signingKey: SigningPublicKey;
  onProgress?(progress: BundleProgress): void;
}

/**
 * The plaintext layer as a stream: each file flows through SHA-256 into the tar as it is read (so
 * memory stays flat whatever its size), then the statement naming every file's digest, its DSSE
 * envelope (signed over the digest of the PAE), the bare DER signature, the signing public key and
 * VERIFY.md. Member mtimes are the issue instant, so the same inputs give the same archive.
 */
export function writeBundleArchive(input: BundleArchiveInput): Readable {
  const paths = new Set<string>();
  for (const file of input.files) {
    if (!isBundlePath(file.path)) throw new Error(`Not a bundle file path: ${file.path}`);
    if (paths.has(file.path)) throw new Error(`Duplicate bundle file path: ${file.path}`);
    paths.add(file.path);
  }
  const pack = tarPack();
  const mtime = new Date(input.predicate.issuedAt);
  const header = (name: string, size: number) => ({ name, size, mtime, mode: 0o644, uid: 0, gid: 0 });

  const addBuffer = (name: string, data: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      pack.entry(header(name, data.length), Buffer.from(data), (error) => (error ? reject(error) : resolve()));
    });

  const produce = async () => {
    const subject: BundleSubject[] = [];
    let bytesDone = 0;
    for (const file of input.files) {
      const { size, body } = await file.open();
      if (!Number.isSafeInteger(size) || size < 0) throw new Error(`Bad size for ${file.path}`);
      const hash = createHash('sha256');
      let written = 0;
      const entry = pack.entry(header(file.path, size));
      const done = new Promise<void>((resolve, reject) => {
        entry.once('finish', resolve);
        entry.once('error', reject);
      });
      for await (const chunk of body) {
        const bytes = chunk as Buffer;
        written += bytes.length;
        if (written > size) throw new Error(`${file.path} is longer than its announced ${size} bytes`);
        hash.update(bytes);
        if (!entry.write(bytes)) await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
        bytesDone += bytes.length;
        input.onProgress?.({ filesDone: subject.length, bytesDone });
      }
      if (written !== size) throw new Error(`${file.path} is ${written} bytes, not the announced ${size}`);
      // A streamx writable (tar-stream): end() takes no callback, unlike node's.
      (entry as unknown as { end(): void }).end();
      await done;
      subject.push({ name: file.path, digest: { sha256: hash.digest('hex') } });
      input.onProgress?.({ filesDone: subject.length, bytesDone });
    }
    const statement: BundleStatement = {
      _type: statementType,
      subject,
      predicateType: bundlePredicateType,
      predicate: {
        ...input.predicate,
        signingKey: { keyId: input.signingKey.keyId, fingerprint: input.signingKey.fingerprint },
      },
    };
    const manifest = Buffer.from(serializeStatement(statement), 'utf8');
    const { envelope, signatureDer } = await signEnvelope(input.signer, input.signingKey, dssePayloadType, manifest);
    await addBuffer(archiveNames.manifest, manifest);
    await addBuffer(archiveNames.envelope, Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8'));
    await addBuffer(archiveNames.signature, signatureDer);
    await addBuffer(
      archiveNames.signingKey,
      Buffer.from(canonicalPem(input.signingKey.pem) ?? input.signingKey.pem, 'utf8'),
    );
    await addBuffer(archiveNames.verifyGuide, Buffer.from(verifyGuide(statement), 'utf8'));
    pack.finalize();
  };

  const output = Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false });
  produce().catch((error: unknown) => {
    output.destroy(error instanceof Error ? error : new Error(String(error)));
    pack.destroy();
  });
  return output;
}
