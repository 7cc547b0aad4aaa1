import { actorOfCaller, type Caller, orgOf } from '../access/caller.js';
import { complianceInquiryArn } from '../access/resources.js';
import { ValidationError } from '../errors.js';
import { parseInput } from '../input.js';
import { sha256Hex } from '../sha256.js';
import { type InquiryDeps, nowOf } from './inquiry-deps.js';
import { inquiryKeys } from './inquiry-keys.js';
import { readQueries } from './inquiry-records.js';
import { type ExportInquiryInput, exportInquiryInput } from './inquiry-schemas.js';
import { tagsOfInquiry } from './inquiry-taggables.js';
import { authorizedInquiry } from './read-inquiry.js';

export interface InquiryExport {
  exportId: string;
  url: string;
  sha256: string;
  size: number;
  expiresInSeconds: number;
  tags: Record<string, string>;
}

/**
 * ExportComplianceInquiry: a PDF of the chosen queries with their answers (and citations), put in the
 * reports bucket and handed out behind a short-lived URL, as report downloads are. The export record
 * and `inquiry:Exported` (with the document's SHA-256) are one transaction; if that fails, the object
 * is removed. pdf-lib loads with the first export.
 */
export async function exportInquiry(
  deps: InquiryDeps,
  caller: Caller,
  raw: ExportInquiryInput,
  linkOf: (reportId: string) => string,
): Promise<InquiryExport> {
  const input = parseInput(exportInquiryInput, raw);
  const orgId = orgOf(caller);
  const inquiry = await authorizedInquiry(deps, caller, 'portal:ExportComplianceInquiry', input.inquiryId);
  const all = await readQueries(deps.store, inquiry);
  const wanted = input.queryIdentifiers ? new Set(input.queryIdentifiers) : undefined;
  const unknown = [...(wanted ?? [])].filter((id) => id > inquiry.queryCount);
  if (unknown.length > 0) {
    throw new ValidationError(`No query ${unknown.join(', ')} in this inquiry (it has ${inquiry.queryCount}).`, [
      { path: 'queryIdentifiers', message: `not a query: ${unknown.join(', ')}` },
    ]);
  }
  const queries = wanted ? all.filter((query) => wanted.has(query.queryIdentifier)) : all;
  const actor = actorOfCaller(caller);
  const exportedAt = nowOf(deps);
  const exportId = `ex-${deps.ids.newId()}`;
  const { inquiryPdf } = await import('./inquiry-pdf.js');
  const pdf = await inquiryPdf({
    inquiry,
    queries,
    includeCitations: input.includeCitations ?? false,
    exportedBy: actor.email ?? actor.id,
    exportedAt,
    exportId,
    linkOf,
  });
  const sha256 = sha256Hex(pdf);
  const key = `inquiry-exports/${orgId}/${inquiry.id}/${exportId}.pdf`;
  await deps.blobs.put('reports', key, pdf, { contentType: 'application/pdf', contentLength: pdf.byteLength });
  try {
    await deps.ledger.append({
      orgId,
      actor,
      action: 'inquiry:Exported',
      subject: complianceInquiryArn(orgId, inquiry.id),
      details: {
        inquiryId: inquiry.id,
        exportId,
        queryIdentifiers: queries.map((query) => query.queryIdentifier),
        includeCitations: input.includeCitations ?? false,
        sha256,
        size: pdf.byteLength,
      },
      alsoWrite: [
        {
          kind: 'put',
          item: {
            ...inquiryKeys.exportRecord(orgId, inquiry.id, exportId),
            data: JSON.stringify({ exportId, key, sha256, size: pdf.byteLength, exportedAt, by: actor.id }),
          },
          condition: { kind: 'notExists' },
        },
      ],
    });
  } catch (error) {
    await deps.blobs.delete('reports', key).catch(() => undefined);
    throw error;
  }
  const expiresInSeconds = deps.exportUrlTtlSeconds ?? 300;
  const url = await deps.blobs.presignGet('reports', key, {
    expiresInSeconds,
    downloadFilename: `${inquiry.id}.pdf`,
  });
  const tags = await tagsOfInquiry(deps.store, orgId, inquiry.id);
  return { exportId, url, sha256, size: pdf.byteLength, expiresInSeconds, tags };
}
