import { PDFArray, PDFDict, type PDFObject } from 'pdf-lib';

/**
 * PDF syntax for an object, compact: pdf-lib's own `toString` puts every dictionary entry on a
 * line of its own, which a rewritten page repeats for every page. Leaves (strings, names, numbers,
 * refs) keep pdf-lib's serialization, so literal strings keep their escapes byte for byte.
 */
export function pdfSyntax(object: PDFObject): string {
  if (object instanceof PDFDict) {
    const parts: string[] = [];
    for (const [key, value] of object.entries()) parts.push(`${key.toString()} ${pdfSyntax(value)}`);
    return `<<${parts.join(' ')}>>`;
  }
  if (object instanceof PDFArray) return `[${object.asArray().map(pdfSyntax).join(' ')}]`;
  return object.toString();
}
