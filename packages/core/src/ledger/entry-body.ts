import type { ItemValue } from '../ports/store.js';
import { canonicalJson } from './canonical-json.js';
import { leafHashOfCanonical } from './ledger-hashing.js';
import type { LedgerActor, LedgerEntry } from './ledger-writer.js';

/** The hashed part of an entry: everything except the derived `leaf`. */
export type LedgerEntryBody = Omit<LedgerEntry, 'leaf'>;

const actorTypes: ReadonlySet<string> = new Set(['user', 'role-session', 'system', 'anonymous']);
const bodyMembers: ReadonlySet<string> = new Set([
  'accountId',
  'action',
  'actor',
  'details',
  'orgId',
  'seq',
  'subject',
  'time',
]);
const actorMembers: ReadonlySet<string> = new Set(['accountId', 'email', 'id', 'type']);
/** Entry times are what `Date.prototype.toISOString` writes: the time index sorts them as strings. */
const entryTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The body's members, in one place: the writer builds with it, so readers can insist on exactly these. */
export function entryBody(entry: LedgerEntryBody | LedgerEntry): LedgerEntryBody {
  const actor: LedgerActor = { type: entry.actor.type, id: entry.actor.id };
  if (entry.actor.email !== undefined) actor.email = entry.actor.email;
  if (entry.actor.accountId !== undefined) actor.accountId = entry.actor.accountId;
  const body: LedgerEntryBody = {
    orgId: entry.orgId,
    seq: entry.seq,
    time: entry.time,
    actor,
    action: entry.action,
    subject: entry.subject,
    details: entry.details,
  };
  if (entry.accountId !== undefined) body.accountId = entry.accountId;
  return body;
}

/** JCS bytes of the body: what `leaf` commits to, what the table stores and what the export carries verbatim. */
export function canonicalBody(entry: LedgerEntryBody | LedgerEntry): string {
  return canonicalJson(entryBody(entry));
}

export function leafHash(entry: LedgerEntryBody | LedgerEntry): string {
  return leafHashOfCanonical(canonicalBody(entry));
}

/**
 * Strict reading of an untrusted body (a stored item, an export line, a proof document): exactly the
 * known members with the right types, or the reason it is not an entry. Verifiers reject unknown
 * members, so nothing outside the hashed schema can ride along with an entry.
 */
export function parseEntryBody(value: unknown): { body: LedgerEntryBody } | { error: string } {
  if (!isRecord(value)) return { error: 'the entry is not a JSON object' };
  const unknown = Object.keys(value).find((key) => !bodyMembers.has(key));
  if (unknown !== undefined) return { error: `the entry has an unknown member ${JSON.stringify(unknown)}` };
  const { orgId, seq, time, actor, action, subject, details, accountId } = value;
  if (!isText(orgId)) return { error: 'the entry has no orgId' };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { error: 'the entry has no valid seq' };
  if (typeof time !== 'string' || !entryTime.test(time))
    return { error: 'the entry time is not an ISO 8601 UTC instant' };
  if (!isText(action)) return { error: 'the entry has no action' };
  if (!isText(subject)) return { error: 'the entry has no subject' };
  if (!isRecord(details)) return { error: 'the entry details are not an object' };
  if (accountId !== undefined && !isText(accountId)) return { error: 'the entry accountId is not a string' };
  if (!isRecord(actor)) return { error: 'the entry actor is not an object' };
  const unknownActor = Object.keys(actor).find((key) => !actorMembers.has(key));
  if (unknownActor !== undefined)
    return { error: `the entry actor has an unknown member ${JSON.stringify(unknownActor)}` };
  if (typeof actor.type !== 'string' || !actorTypes.has(actor.type))
    return { error: 'the entry actor type is unknown' };
  if (!isText(actor.id)) return { error: 'the entry actor has no id' };
  for (const name of ['email', 'accountId'] as const) {
    if (actor[name] !== undefined && typeof actor[name] !== 'string') {
      return { error: `the entry actor ${name} is not a string` };
    }
  }
  return { body: value as unknown as LedgerEntryBody };
}

/**
 * The entry a stored (or exported) body string denotes, when that string is exactly the canonical
 * form of a well-formed body; `leaf` is computed here from those bytes, never taken from storage.
 */
export function entryFromCanonical(canonical: string): { entry: LedgerEntry } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(canonical);
  } catch {
    return { error: 'the entry is not JSON' };
  }
  const checked = parseEntryBody(parsed);
  if ('error' in checked) return checked;
  let again: string;
  try {
    again = canonicalJson(checked.body as unknown as Record<string, ItemValue>);
  } catch (error) {
    return { error: `the entry has no canonical form (${error instanceof Error ? error.message : 'not JSON'})` };
  }
  if (again !== canonical) return { error: 'the entry is not in canonical (RFC 8785) form' };
  return { entry: { ...checked.body, leaf: leafHashOfCanonical(canonical) } };
}
