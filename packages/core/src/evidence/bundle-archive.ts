import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extract as tarExtract } from 'tar-stream';
import { archiveNames, isBundlePath, trailerMembers } from './bundle-format.js';
import type { DsseEnvelope } from './dsse.js';

/** Reading a bundle's tar in one pass: every member hashed as it streams, the small ones kept for the checks. */

/** Small members kept in memory for the checks (the manifest, envelope, key and ledger documents). */
const maxKeptBytes = 8 << 20;

export interface ArchiveRead {
  members: Map<string, { size: number; sha256: string; kept?: Buffer }>;
  problems: string[];
}

export async function readArchive(
  tar: Readable,
  options: { onProgress?(progress: { filesDone: number; bytesDone: number }): void },
): Promise<ArchiveRead> {
  const members = new Map<string, { size: number; sha256: string; kept?: Buffer }>();
  const problems: string[] = [];
  const extract = tarExtract();
  tar.on('error', (error) => extract.destroy(error));
  tar.pipe(extract as unknown as NodeJS.WritableStream);
  let bytesDone = 0;
  let filesDone = 0;
  try {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      const keep = !name.startsWith(archiveNames.filesPrefix) || /\.json$/.test(name);
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      let size = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        bytesDone += chunk.length;
        if (keep && size <= maxKeptBytes) kept.push(chunk);
        options.onProgress?.({ filesDone, bytesDone });
      }
      filesDone++;
      if (type !== 'file') {
        problems.push(`member ${name} is a ${type}, not a regular file`);
        continue;
      }
      const isTrailer = (trailerMembers as readonly string[]).includes(name);
      if (!isTrailer && !isBundlePath(name)) problems.push(`unexpected member ${JSON.stringify(name)}`);
      if (members.has(name)) problems.push(`member ${name} appears twice`);
      members.set(name, {
        size,
        sha256: hash.digest('hex'),
        ...(keep && size <= maxKeptBytes ? { kept: Buffer.concat(kept) } : {}),
      });
    }
  } catch (error) {
    problems.push(`the archive is not a well-formed tar (${error instanceof Error ? error.message : String(error)})`);
  }
  for (const name of trailerMembers) if (!members.has(name)) problems.push(`${name} is missing`);
  return { members, problems };
}

export function parseEnvelope(bytes: Buffer | undefined): DsseEnvelope | string {
  if (!bytes) return 'manifest.dsse.json is missing';
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'manifest.dsse.json is not JSON';
  }
  const envelope = value as Partial<DsseEnvelope>;
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    Object.keys(envelope).sort().join() !== 'payload,payloadType,signatures' ||
    typeof envelope.payloadType !== 'string' ||
    typeof envelope.payload !== 'string' ||
    !Array.isArray(envelope.signatures) ||
    envelope.signatures.length !== 1 ||
    typeof envelope.signatures[0]?.sig !== 'string' ||
    typeof envelope.signatures[0]?.keyid !== 'string'
  ) {
    return 'manifest.dsse.json is not a DSSE envelope with exactly one signature';
  }
  return envelope as DsseEnvelope;
}
