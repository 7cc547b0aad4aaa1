import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256: what acceptances, terms, tokens and uploads are named by. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
