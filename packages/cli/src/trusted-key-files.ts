import { readFileSync } from 'node:fs';
import { type TrustedKey, trustedKey } from '@evidence-portal/core';

/** A PEM file, or the JSON `GET /api/keys/signing` answers (every key it lists). */
export function readKeys(file: string): TrustedKey[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('{')) {
    const listed = JSON.parse(text) as { items?: Array<{ publicKeyPem?: unknown }> };
    const pems = (listed.items ?? []).map((item) => item.publicKeyPem).filter((pem) => typeof pem === 'string');
    if (pems.length === 0) throw new Error(`${file} lists no publicKeyPem`);
    return pems.map((pem) => trustedKey(pem as string));
  }
  return [trustedKey(text)];
}
