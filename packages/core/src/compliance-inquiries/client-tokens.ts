import { canonicalJson } from '../ledger/canonical-json.js';
import type { Item, ItemKey, Store } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { inquiryErrors } from './inquiry-errors.js';
import { inquiryKeys } from './inquiry-keys.js';

/**
 * Idempotency of create and feedback (the model's clientToken), per user: the first request with a
 * token records the SHA-256 of its input and what it produced, in the same transaction as the act.
 * The same token with the same input answers that result again; with a different input it is a
 * ConflictException (`client_token_reused`). Tokens are kept 7 days.
 */
export const clientTokenTtlSeconds = 7 * 24 * 3600;

export interface TokenClaim {
  key: ItemKey;
  inputSha256: string;
}

export function claimOf(
  orgId: string,
  userId: string,
  kind: 'create' | 'feedback',
  token: string,
  input: unknown,
): TokenClaim {
  return { key: inquiryKeys.clientToken(orgId, userId, kind, token), inputSha256: sha256Hex(canonicalJson(input)) };
}

/** What an earlier request with this token produced, or undefined; a different input is refused. */
export async function replayOf(
  store: Store,
  claim: TokenClaim | undefined,
): Promise<Record<string, string> | undefined> {
  if (!claim) return undefined;
  const item = await store.get(claim.key, { consistent: true });
  if (!item) return undefined;
  if (item.inputSha256 !== claim.inputSha256) {
    throw inquiryErrors.error(
      'client_token_reused',
      'This clientToken was already used with a different input; use a new token for a new request.',
    );
  }
  return JSON.parse(String(item.result)) as Record<string, string>;
}

export function claimItem(claim: TokenClaim, result: Record<string, string>, nowSeconds: number): Item {
  return {
    ...claim.key,
    inputSha256: claim.inputSha256,
    result: JSON.stringify(result),
    ttl: nowSeconds + clientTokenTtlSeconds,
  };
}
