import type { Sha256State } from './resumable-sha256.js';

/**
 * What one parse of a published version keeps for its downloads (stored as JSON next to the
 * original). It holds exactly what an incremental update needs: the page objects to rewrite with
 * their effective (inherited) resources, boxes and rotation, the last cross-reference section to
 * chain to, and the SHA-256 state of the original, so a download never parses the file again.
 * PDF syntax in it (`dict`, `entries`, refs) is serialized by pdf-lib from the original objects.
 */
export interface PreparedPdf {
  format: typeof preparedPdfFormat;
  /** The original this describes: its size and SHA-256; a download checks both before using it. */
  size: number;
  sha256: string;
  /** SHA-256 state after the original's last whole 64-byte block, and the bytes after it (base64). */
  sha256State: Sha256State;
  sha256Tail: string;
  /** Whether the original ends with an end-of-line (else the update starts with one). */
  endsWithEol: boolean;
  xref: { kind: 'table' | 'stream'; startxref: number; size: number };
  trailer: { root: string; id?: [string, string] };
  /** The original document-information entries to keep (serialized), without the keys a copy replaces. */
  infoEntries: string;
  signatures: { count: number /** DocMDP permission of a certification signature (1: no changes). */; docMdp?: number };
  /** Distinct effective page geometries (most documents: one). */
  geometries: PageGeometry[];
  /** Distinct effective resource dictionaries, by the pages that use them. */
  resources: PreparedResources[];
  pages: PreparedPage[];
}

export const preparedPdfFormat = 'evidence-portal/prepared-pdf@1';

export interface PageGeometry {
  /** The visible box (CropBox within MediaBox) in default user space: [x0, y0, x1, y1]. */
  box: [number, number, number, number];
  /** Effective /Rotate: 0, 90, 180 or 270. */
  rotate: 0 | 90 | 180 | 270;
}

export interface PreparedResources {
  /** Every entry of the effective /Resources except /XObject, serialized as in the original. */
  entries: string;
  /** The entries of its /XObject sub-dictionary (resolved when it was indirect). */
  xobjects: string;
  /** An XObject name for the overlay that none of `xobjects` uses. */
  markName: string;
}

export interface PreparedPage {
  /** Object number and generation of the page object. */
  object: number;
  generation: number;
  /** The page dictionary's entries except /Contents, /Resources and /Annots, serialized. */
  dict: string;
  /** The page's content streams in order (refs), empty for a blank page. */
  contents: string[];
  /** Index into `resources` and `geometries`. */
  resources: number;
  geometry: number;
  /** The page's annotations (refs or inline dicts), when it has any. */
  annots?: string[];
  /** It has widgets or annotations with appearances that would cover content marks. */
  coveredByAnnotations?: boolean;
}

/** Why the fast path cannot take a file or a recipient: the download then uses the full rewrite, logged with this. */
export class FastPathUnsupported extends Error {
  override readonly name = 'FastPathUnsupported';
}
