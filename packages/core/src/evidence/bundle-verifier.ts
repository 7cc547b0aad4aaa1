import type { Readable } from 'node:stream';
import {
  type AnyCheckpoint,
  checkCheckpointSignature,
  parseCheckpoint,
  type TrustedKey,
  trustedKey,
} from '../ledger/checkpoint.js';
import { verifyProofDocument } from '../ledger/ledger-proofs.js';
import { type ArchiveRead, parseEnvelope, readArchive } from './bundle-archive.js';
import { archiveNames, type BundleStatement } from './bundle-format.js';
import { canonicalPem, verifyDsseSignature } from './dsse.js';
import { parseStatement } from './statement-schema.js';
import { verifyGuide } from './verify-guide.js';

/** The named checks of a bundle, in the order a verifier runs them (docs/evidence-bundle-format.md). */
export type BundleCheck =
  | 'decrypt'
  | 'encryption-context'
  | 'archive'
  | 'manifest'
  | 'envelope'
  | 'signature'
  | 'subjects'
  | 'expiry'
  | 'checkpoint'
  | 'inclusion-proofs';

export interface BundleCheckResult {
  check: BundleCheck;
  ok: boolean;
  detail: string;
}

export interface BundleVerification {
  valid: boolean;
  checks: BundleCheckResult[];
  /** `trusted-key`: the signature verifies with a key the verifier was given; `embedded-key`: only
   * with the key inside the bundle, which proves integrity, not origin. */
  origin: 'trusted-key' | 'embedded-key' | 'none';
  statement?: BundleStatement;
  files: Array<{ path: string; size: number; sha256: string }>;
}

export interface BundleVerifyOptions {
  /** Keys the auditor pinned; absent: the bundle's own signing-key.pem (integrity only). */
  keys?: readonly TrustedKey[];
  /** The instant expiry is judged at (default: now). */
  at?: Date;
  onProgress?(progress: { filesDone: number; bytesDone: number }): void;
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Verifies the plaintext layer (the tar) of a bundle, streaming: files are hashed as they pass and
 * compared with the statement once it arrives (it follows them). Every check runs and is reported;
 * the bundle is valid only if all pass.
 */
export async function verifyBundleArchive(
  tar: Readable,
  options: BundleVerifyOptions = {},
): Promise<BundleVerification> {
  const checks: BundleCheckResult[] = [];
  const record = (check: BundleCheck, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const { members, problems } = await readArchive(tar, options);
  const files = [...members]
    .filter(([name]) => name.startsWith(archiveNames.filesPrefix))
    .map(([path, member]) => ({ path, size: member.size, sha256: member.sha256 }));
  const manifestBytes = members.get(archiveNames.manifest)?.kept;
  const parsed = manifestBytes ? parseStatement(manifestBytes) : { error: 'manifest.json is missing' };
  if ('error' in parsed) {
    record('archive', problems.length === 0, problems.length === 0 ? `${members.size} members` : problems.join('; '));
    record('manifest', false, parsed.error);
    return { valid: false, checks, origin: 'none', files };
  }
  const statement = parsed.statement;
  const { predicate } = statement;
  // The members outside the statement are bound to it too: VERIFY.md is exactly the guide this
  // statement yields, and signing-key.pem is the key it names.
  const guide = members.get(archiveNames.verifyGuide)?.kept;
  if (guide && !guide.equals(Buffer.from(verifyGuide(statement), 'utf8'))) {
    problems.push('VERIFY.md is not the guide of this manifest');
  }
  const embeddedPem = members.get(archiveNames.signingKey)?.kept?.toString('utf8');
  let embedded: TrustedKey | undefined;
  try {
    embedded = embeddedPem ? trustedKey(embeddedPem) : undefined;
  } catch {
    embedded = undefined;
  }
  if (embeddedPem !== undefined && embedded?.fingerprint !== predicate.signingKey.fingerprint) {
    problems.push('signing-key.pem is not the key the manifest names');
  } else if (embeddedPem !== undefined && embeddedPem !== canonicalPem(embeddedPem)) {
    // PEM parsers skip stray whitespace and text around the armour: only the canonical bytes are the key's.
    problems.push('signing-key.pem is not the canonical SPKI PEM of its key');
  }
  record('archive', problems.length === 0, problems.length === 0 ? `${members.size} members` : problems.join('; '));
  record('manifest', true, `in-toto Statement v1, ${statement.subject.length} subjects`);

  // The envelope must carry exactly manifest.json, and the same signature as manifest.sig.
  const envelope = parseEnvelope(members.get(archiveNames.envelope)?.kept);
  const signatureBytes = members.get(archiveNames.signature)?.kept;
  let signature: Buffer | undefined;
  if (typeof envelope === 'string') {
    record('envelope', false, envelope);
  } else {
    const [entry] = envelope.signatures;
    const problems: string[] = [];
    if (envelope.payloadType !== 'application/vnd.in-toto+json')
      problems.push(`payloadType is ${envelope.payloadType}`);
    // Canonical base64 only: a lenient decoder maps several strings to the same bytes.
    if ((manifestBytes as Buffer).toString('base64') !== envelope.payload) {
      problems.push('its payload is not manifest.json');
    }
    if (!entry || !base64.test(entry.sig)) problems.push('its signature is not base64');
    else {
      signature = Buffer.from(entry.sig, 'base64');
      if (signature.toString('base64') !== entry.sig) problems.push('its signature is not canonical base64');
    }
    if (!signatureBytes || !signature?.equals(signatureBytes)) problems.push('manifest.sig differs from its signature');
    if (entry?.keyid !== predicate.signingKey.fingerprint)
      problems.push('its keyid is not the signing key the manifest names');
    record(
      'envelope',
      problems.length === 0,
      problems.length === 0 ? 'DSSE envelope over manifest.json' : problems.join('; '),
    );
  }

  // The signature: with a pinned key (origin) or the embedded one (integrity only).
  let origin: BundleVerification['origin'] = 'none';
  const fingerprint = predicate.signingKey.fingerprint;
  const keys = options.keys ?? (embedded ? [embedded] : []);
  const key = keys.find((candidate) => candidate.fingerprint === fingerprint);
  const payloadType = typeof envelope === 'string' ? '' : envelope.payloadType;
  if (!key) {
    record(
      'signature',
      false,
      options.keys
        ? `signed by key ${fingerprint}, which is not among the trusted keys`
        : 'signing-key.pem is missing or is not the key the manifest names',
    );
  } else if (!signature || !verifyDsseSignature(key.pem, payloadType, manifestBytes as Buffer, signature)) {
    record('signature', false, `the DSSE signature does not verify with key ${fingerprint}`);
  } else {
    origin = options.keys ? 'trusted-key' : 'embedded-key';
    record(
      'signature',
      true,
      options.keys
        ? `signed by trusted key ${fingerprint}`
        : `signed by the key inside the bundle (${fingerprint}): this proves integrity, NOT origin; pass --public-key`,
    );
  }

  // Every subject present with its digest, and no file outside the statement.
  const subjectProblems: string[] = [];
  const listed = new Map(statement.subject.map((subject) => [subject.name, subject.digest.sha256]));
  for (const [name, sha256] of listed) {
    const member = members.get(name);
    if (!member) subjectProblems.push(`${name} is missing`);
    else if (member.sha256 !== sha256) subjectProblems.push(`${name} does not match its digest`);
  }
  for (const file of files) if (!listed.has(file.path)) subjectProblems.push(`${file.path} is not in the manifest`);
  record(
    'subjects',
    subjectProblems.length === 0,
    subjectProblems.length === 0 ? `${listed.size} files match their digests` : subjectProblems.join('; '),
  );

  const at = options.at ?? new Date();
  const expired = at.getTime() >= Date.parse(predicate.expiresAt);
  const early = at.getTime() < Date.parse(predicate.issuedAt);
  record(
    'expiry',
    !expired && !early,
    expired
      ? `expired at ${predicate.expiresAt} (evaluated at ${at.toISOString()})`
      : early
        ? `not issued yet at ${at.toISOString()} (issued ${predicate.issuedAt})`
        : `valid until ${predicate.expiresAt}`,
  );

  checkLedger(statement, members, options.keys ?? keys, record);
  return { valid: checks.every((check) => check.ok), checks, origin, statement, files };
}

/** The ledger checkpoint the predicate names, and every inclusion proof file, against the keys. */
function checkLedger(
  statement: BundleStatement,
  members: ArchiveRead['members'],
  keys: readonly TrustedKey[],
  record: (check: BundleCheck, ok: boolean, detail: string) => void,
): void {
  const { ledger, contents } = statement.predicate;
  if (ledger === null) return;
  const parsed = parseCheckpoint(ledger.checkpoint);
  let checkpoint: AnyCheckpoint | undefined;
  if ('error' in parsed) {
    record('checkpoint', false, `the manifest's checkpoint is malformed: ${parsed.error}`);
  } else {
    checkpoint = parsed.checkpoint;
    const check = checkCheckpointSignature(checkpoint, keys);
    record(
      'checkpoint',
      check === 'valid',
      check === 'valid'
        ? `ledger checkpoint of ${checkpoint.size} entries signed by ${checkpoint.keyFingerprint}`
        : 'the ledger checkpoint signature does not verify with the trusted keys',
    );
  }
  const proofs = contents.filter((content) => content.kind === 'ledger-inclusion-proof');
  const problems: string[] = [];
  for (const content of proofs) {
    const bytes = members.get(content.path)?.kept;
    let document: unknown;
    try {
      document = bytes ? JSON.parse(bytes.toString('utf8')) : undefined;
    } catch {
      document = undefined;
    }
    const result = verifyProofDocument(document, { keys });
    const proofCheckpoint = (document as { checkpoint?: AnyCheckpoint } | undefined)?.checkpoint;
    if (!result.valid || result.signatures !== 'valid') {
      problems.push(`${content.path}: ${result.reason ?? 'its checkpoint signature does not verify'}`);
    } else if (
      !checkpoint ||
      proofCheckpoint?.size !== checkpoint.size ||
      proofCheckpoint.merkleRoot !== checkpoint.merkleRoot
    ) {
      problems.push(`${content.path}: proves inclusion in another checkpoint than the manifest's`);
    }
  }
  record(
    'inclusion-proofs',
    problems.length === 0,
    problems.length === 0 ? `${proofs.length} ledger entries proven in the checkpoint` : problems.join('; '),
  );
}
