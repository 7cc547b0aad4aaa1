import { createHash } from 'node:crypto';
import { NotFoundError, ValidationError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';

/** Where an agreement's PDF revisions are uploaded: its own prefix of the reports bucket. */
export const agreementPdfPrefix = (agreementId: string) => `agreements/${agreementId}/`;

/** A PDF revision larger than this is refused (agreements are documents of tens of pages). */
export const maxRevisionPdfBytes = 20 * 1024 * 1024;

/**
 * The PDF a revision names must be an upload under the agreement's own prefix (never another object of
 * the bucket, such as a report's unwatermarked original), within the size cap, and its bytes must hash to
 * the sha256 the publisher declares: acceptances name that digest, so it must be the document's.
 */
export async function verifyRevisionPdf(
  blobs: BlobStore,
  agreementId: string,
  pdf: { blobKey: string; sha256: string },
): Promise<void> {
  const fieldError = (path: string, message: string) =>
    new ValidationError('The PDF revision is invalid.', [{ path, message }]);
  if (!pdf.blobKey.startsWith(agreementPdfPrefix(agreementId)) || pdf.blobKey.includes('..')) {
    throw fieldError('pdf.blobKey', `must be an upload under ${agreementPdfPrefix(agreementId)}`);
  }
  let blob: Awaited<ReturnType<BlobStore['get']>>;
  try {
    blob = await blobs.get('reports', pdf.blobKey);
  } catch (error) {
    if (error instanceof NotFoundError) throw fieldError('pdf.blobKey', 'no file has been uploaded at this key');
    throw error;
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of blob.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxRevisionPdfBytes) {
      blob.body.destroy();
      throw fieldError('pdf.blobKey', `the file is larger than ${maxRevisionPdfBytes} bytes`);
    }
    hash.update(chunk);
  }
  const actual = hash.digest('hex');
  if (actual !== pdf.sha256) {
    throw fieldError('pdf.sha256', `does not match the uploaded file (its sha256 is ${actual})`);
  }
}
