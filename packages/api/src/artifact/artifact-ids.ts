import { createHash } from 'node:crypto';
import { type AliasKind, publicAlias } from '@evidence-portal/core';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { parseSignatureHeader } from './sigv4-verification.js';

/**
 * The Artifact model's id patterns (`report-[a-zA-Z0-9]{16}`, `agreement-…`, `customer-agreement-…`)
 * cannot hold the portal's ids, so each portal id has a stable alias: the first 16 hex digits of
 * SHA-256(kind:id) (core's publicAlias). A report's alias is stored with the report and read by key
 * (reports.ofAlias); the others are resolved against what the caller may see.
 */
export const artifactAlias = (kind: AliasKind, portalId: string): string => publicAlias(kind, portalId);

/** The API reference's revision ids are UUIDs: a revision's stable alias, the first 128 bits of SHA-256(id). */
export function revisionAlias(revisionId: string): string {
  const hex = createHash('sha256').update(`agreement-revision:${revisionId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The region the client signed for: Artifact ARNs carry it (`arn:aws:artifact:us-east-1::report/…`). */
export function signingRegion(c: Context<AppEnv>): string {
  const header = parseSignatureHeader(c.req.header('authorization'));
  return 'region' in header ? header.region : 'us-east-1';
}

export const artifactArn = (c: Context<AppEnv>, type: string, alias: string, accountId = '') =>
  `arn:aws:artifact:${signingRegion(c)}:${accountId}:${type}/${alias}`;

/** `arn:aws:artifact:<region>:<account>:<type>/<alias>` -> its type and alias, or undefined. */
export function parseArtifactArn(arn: string): { type: string; alias: string } | undefined {
  const match = /^arn:aws:artifact:[a-z0-9-]*:\d{0,12}:([a-z-]+)\/([a-z-]+-[0-9a-f]{16})$/.exec(arn);
  return match ? { type: match[1] as string, alias: match[2] as string } : undefined;
}

/** Opaque paging over an in-memory list: the offset, bound to the listing it came from. */
export function offsetToken(listing: string, offset: number): string {
  return Buffer.from(JSON.stringify([listing, offset])).toString('base64url');
}

export function offsetOf(listing: string, token: string | undefined): number | undefined {
  if (token === undefined) return 0;
  try {
    const [name, offset] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [string, number];
    return name === listing && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}
