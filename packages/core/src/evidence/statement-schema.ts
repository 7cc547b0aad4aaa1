import { z } from 'zod';
import {
  type BundleStatement,
  bundleFormat,
  bundlePredicateType,
  isBundlePath,
  statementType,
} from './bundle-format.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const instant = z.iso.datetime({ offset: false });
const bundlePath = z.string().refine(isBundlePath, 'not a bundle file path');

const predicateSchema = z.strictObject({
  format: z.literal(bundleFormat),
  bundleId: z.string().min(1),
  org: z.strictObject({ id: z.string().min(1), name: z.string() }),
  accounts: z.array(z.string()),
  requester: z.strictObject({ id: z.string(), email: z.string(), accountId: z.string() }),
  purpose: z.string(),
  issuedAt: instant,
  expiresAt: instant,
  asOf: instant,
  ledger: z
    .strictObject({ checkpoint: z.unknown(), fromSeq: z.number().int().min(1), toSeq: z.number().int().min(1) })
    .nullable(),
  signingKey: z.strictObject({ keyId: z.string(), fingerprint: sha256Hex }),
  recipients: z.array(
    z.union([
      z.strictObject({ kind: z.literal('kms') }),
      z.strictObject({ kind: z.literal('rsa'), fingerprint: sha256Hex }),
    ]),
  ),
  contents: z.array(
    z.strictObject({
      path: bundlePath,
      kind: z.enum([
        'report',
        'agreement-acceptances',
        'coverage',
        'ledger-entries',
        'ledger-checkpoint',
        'ledger-inclusion-proof',
        'request',
      ]),
      ref: z.string().optional(),
    }),
  ),
});

const statementSchema = z.strictObject({
  _type: z.literal(statementType),
  subject: z
    .array(z.strictObject({ name: bundlePath, digest: z.strictObject({ sha256: sha256Hex }) }))
    .refine((subjects) => new Set(subjects.map((s) => s.name)).size === subjects.length, 'a subject appears twice'),
  predicateType: z.literal(bundlePredicateType),
  predicate: predicateSchema,
});

/** manifest.json, strictly: unknown members, a duplicate subject or an unsafe path are refused. */
export function parseStatement(bytes: Uint8Array): { statement: BundleStatement } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { error: 'manifest.json is not UTF-8 JSON' };
  }
  const parsed = statementSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    return { error: `manifest.json is not a bundle statement: ${issue?.path.join('.') || '(root)'} ${issue?.message}` };
  }
  const statement = parsed.data as BundleStatement;
  for (const content of statement.predicate.contents) {
    if (!statement.subject.some((subject) => subject.name === content.path)) {
      return { error: `manifest.json lists content ${content.path} that is not a subject` };
    }
  }
  return { statement };
}
