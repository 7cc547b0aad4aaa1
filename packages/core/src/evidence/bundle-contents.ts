import { Readable } from 'node:stream';
import { systemCaller } from '../access/caller.js';
import { IntegrityError } from '../errors.js';
import type { InclusionProofDocument } from '../ledger/ledger-proofs.js';
import type { BundleContentEntry, BundlePredicate } from './bundle-format.js';
import type { EvidenceBundle } from './bundle-records.js';
import type { BundleFileSource } from './bundle-writer.js';
import type { EvidenceDeps } from './evidence-deps.js';

export const exportJobName = 'evidence-export';

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
const fileOf = (path: string, bytes: Buffer): BundleFileSource => ({
  path,
  open: () => ({ size: bytes.length, body: Readable.from([bytes]) }),
});
const safeName = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'x';

export interface BundleContents {
  files: BundleFileSource[];
  contents: BundleContentEntry[];
  ledger: BundlePredicate['ledger'];
}

/**
 * Every file of the bundle, in archive order. Reports are watermarked only when their turn comes, and
 * the inclusion proofs of the ledger range are built as the archive reaches them: the tree is read once
 * and the entries a page at a time (`inclusionProofDocuments`), so thousands of entries stream.
 */
export async function gatherFiles(deps: EvidenceDeps, bundle: EvidenceBundle): Promise<BundleContents> {
  const { orgId, request, requester } = bundle;
  const caller = systemCaller(orgId, exportJobName);
  const files: BundleFileSource[] = [];
  const contents: BundleContentEntry[] = [];
  const actor = { orgId, userId: requester.userId, email: requester.email, accountId: requester.accountId };

  for (const { reportId, version } of request.reports) {
    const path = `files/reports/${safeName(reportId)}-v${version}.pdf`;
    const entry: BundleContentEntry = { path, kind: 'report', ref: `${reportId} v${version}` };
    contents.push(entry);
    files.push({
      path,
      open: async () => {
        // The requester's standing acceptance issues the token (none: the request was refused), and the
        // copy is a download like any other: its own record, id and ledger entry, watermarked for them.
        const { version: stored } = await deps.reports.version(reportId, version, orgId);
        const { termToken } = await deps.reports.acceptTerms(actor, reportId, version, {
          revisionId: stored.termsRevisionId,
        });
        const { record, copy } = await deps.reports.download(
          { ...actor, displayName: requester.displayName },
          reportId,
          version,
          termToken,
        );
        entry.ref = `${reportId} v${version} download ${record.downloadId}`;
        return { size: copy.size, body: copy.body };
      },
    });
  }

  if (request.agreementIds.length > 0) {
    const statements = [];
    for (const agreementId of request.agreementIds) {
      for (const accountId of request.accountIds) {
        statements.push(await deps.agreements.coverage(caller, { accountId, agreementId, at: request.asOf }));
      }
    }
    contents.push({ path: 'files/agreements/coverage.json', kind: 'coverage', ref: `as of ${request.asOf}` });
    files.push(fileOf('files/agreements/coverage.json', json({ asOf: request.asOf, statements })));
    for (const agreementId of request.agreementIds) {
      const path = `files/agreements/${safeName(agreementId)}-acceptances.json`;
      const acceptances = await deps.agreements.history(caller, { agreementId });
      contents.push({ path, kind: 'agreement-acceptances', ref: agreementId });
      files.push(fileOf(path, json({ agreementId, acceptances })));
    }
  }

  let ledger: BundlePredicate['ledger'] = null;
  if (request.ledger) {
    const checkpoint = await deps.ledger.latestCheckpoint(orgId);
    if (!checkpoint || checkpoint.size < request.ledger.toSeq) {
      throw new Error(`no signed checkpoint covers ledger entry ${request.ledger.toSeq}`);
    }
    contents.push({ path: 'files/ledger/checkpoint.json', kind: 'ledger-checkpoint' });
    files.push(fileOf('files/ledger/checkpoint.json', json(checkpoint)));
    // One generator for the whole range, pulled as each proof file is opened (in archive order).
    let documents: AsyncGenerator<InclusionProofDocument> | undefined;
    for (let seq = request.ledger.fromSeq; seq <= request.ledger.toSeq; seq++) {
      const path = `files/ledger/proofs/${String(seq).padStart(12, '0')}.json`;
      contents.push({ path, kind: 'ledger-inclusion-proof', ref: `seq ${seq}` });
      files.push({
        path,
        open: async () => {
          documents ??= deps.ledger.inclusionProofDocuments(orgId, request.ledger!, checkpoint.size);
          const next = await documents.next();
          if (next.done || next.value.entry.seq !== seq) throw new IntegrityError(`Ledger entry ${seq} is missing`);
          const bytes = json(next.value);
          return { size: bytes.length, body: Readable.from([bytes]) };
        },
      });
    }
    ledger = { checkpoint, ...request.ledger };
  }
  return { files, contents, ledger };
}
