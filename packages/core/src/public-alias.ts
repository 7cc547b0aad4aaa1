import { sha256Hex } from './sha256.js';

/**
 * Stable public aliases of portal ids, in the id patterns of the AWS Artifact API
 * (`report-[a-zA-Z0-9]{16}`, `agreement-…`, `customer-agreement-…`): the kind and the first 16 hex
 * digits of SHA-256(`kind:portalId`). One formula for every module that issues or resolves them.
 */
export type AliasKind = 'report' | 'agreement' | 'customer-agreement' | 'term';

export function publicAlias(kind: AliasKind, portalId: string): string {
  return `${kind}-${sha256Hex(`${kind}:${portalId}`).slice(0, 16)}`;
}
