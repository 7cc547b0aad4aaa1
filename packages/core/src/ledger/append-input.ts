import type { ItemValue } from '../ports/store.js';
import { canonicalJsonProblem } from './canonical-json.js';
import { invalid } from './ledger-list.js';
import type { LedgerActor, LedgerAppendInput } from './ledger-writer.js';

function assertText(value: unknown, path: string, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(path, `must be a non-empty string of at most ${max} characters`);
  }
}

/** The act's body members, checked and normalized (optional actor members that are absent are left out). */
export function validateAppend(input: LedgerAppendInput): { details: Record<string, ItemValue>; actor: LedgerActor } {
  assertText(input.orgId, 'orgId', 128);
  assertText(input.action, 'action', 128);
  assertText(input.subject, 'subject', 2048);
  assertText(input.actor?.id, 'actor.id', 512);
  if (!['user', 'role-session', 'system', 'anonymous'].includes(input.actor.type)) {
    throw invalid('actor.type', 'unknown actor type');
  }
  if (input.accountId !== undefined) assertText(input.accountId, 'accountId', 64);
  if (input.requestToken !== undefined) assertText(input.requestToken, 'requestToken', 256);
  const { type, id, email, accountId } = input.actor;
  const actor: LedgerActor = { type, id };
  if (email !== undefined) actor.email = email;
  if (accountId !== undefined) actor.accountId = accountId;
  const details = input.details ?? {};
  // Refused, never silently changed: the body is hashed exactly as it is stored and served.
  const { orgId, action, subject } = input;
  const problem = canonicalJsonProblem({
    orgId,
    actor,
    action,
    subject,
    details,
    ...(input.accountId !== undefined ? { accountId: input.accountId } : {}),
  });
  if (problem) throw invalid(problem.path, problem.message);
  if (JSON.stringify(details).length > 64 * 1024) throw invalid('details', 'larger than 64 KiB');
  return { details, actor };
}
