import type { Item, ItemValue } from '../ports/store.js';
import type { AcceptanceFact, AcceptanceScope, RevisionFact } from './effective-coverage.js';

export const agreementTypes = ['BAA', 'DPA', 'addendum', 'custom'] as const;
export type AgreementType = (typeof agreementTypes)[number];

export interface RevisionSummary {
  revisionId: string;
  /** hex SHA-256 of the revision's text (Markdown) or PDF bytes: what an acceptance names. */
  sha256: string;
  /** The date the revision's terms take effect (YYYY-MM-DD), as published. */
  effectiveDate: string;
  /** When it was published: from then on it is the revision to accept. */
  publishedAt: string;
  format: 'markdown' | 'pdf';
}

export interface Agreement {
  agreementId: string;
  name: string;
  type: AgreementType;
  description: string;
  /** Who may accept it: one account, the whole organization, or both. */
  subjects: AcceptanceScope[];
  ndaRequired: boolean;
  latestRevision?: RevisionSummary;
  /** Oldest first. */
  revisions: RevisionSummary[];
  createdAt: string;
}

/** One entry of a target's compact history (the immutable records hold the full facts). */
export interface TargetHistoryEntry {
  acceptanceId: string;
  revisionId: string;
  acceptedAt: string;
  endedAt?: string;
  endReason?: 'terminated' | 'superseded';
}

/** The state of one acceptance target: the organization, or one account, for one agreement. */
export interface AcceptanceTarget {
  agreementId: string;
  scope: AcceptanceScope;
  accountId?: string;
  version: number;
  activeAcceptanceId?: string;
  activeRevisionId?: string;
  history: TargetHistoryEntry[];
}

export interface AcceptanceRecord {
  acceptanceId: string;
  orgId: string;
  agreementId: string;
  scope: AcceptanceScope;
  /** The covered account (account scope). */
  accountId?: string;
  revisionId: string;
  sha256: string;
  acceptedAt: string;
  acceptedBy: { userId: string; email: string; accountId: string; role?: string };
  sourceIp?: string;
  userAgent?: string;
}

export interface AcceptanceView extends AcceptanceRecord {
  status: 'active' | 'terminated' | 'superseded';
  endedAt?: string;
  /** A later revision exists: still covering (docs/agreements.md), re-acceptance asked for. */
  revisionOutdated: boolean;
  latestRevisionId?: string;
}

const str = (item: Item, name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);

function objects(value: ItemValue | undefined): Array<{ [key: string]: ItemValue }> {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is { [key: string]: ItemValue } =>
      typeof entry === 'object' && entry !== null && !Array.isArray(entry),
  );
}

const text = (value: ItemValue | undefined) => (typeof value === 'string' ? value : '');

export function toRevisionSummaries(value: ItemValue | undefined): RevisionSummary[] {
  return objects(value).map((entry) => ({
    revisionId: text(entry.revisionId),
    sha256: text(entry.sha256),
    effectiveDate: text(entry.effectiveDate),
    publishedAt: text(entry.publishedAt),
    format: entry.format === 'pdf' ? 'pdf' : 'markdown',
  }));
}

export function toAgreement(item: Item): Agreement {
  const revisions = toRevisionSummaries(item.revisions);
  const latest = revisions.at(-1);
  return {
    agreementId: str(item, 'agreementId') ?? '',
    name: str(item, 'name') ?? '',
    type: (agreementTypes as readonly string[]).includes(str(item, 'agreementType') ?? '')
      ? (item.agreementType as AgreementType)
      : 'custom',
    description: str(item, 'description') ?? '',
    subjects: Array.isArray(item.subjects)
      ? item.subjects.filter((s): s is AcceptanceScope => s === 'account' || s === 'organization')
      : [],
    ndaRequired: typeof item.ndaText === 'string',
    ...(latest ? { latestRevision: latest } : {}),
    revisions,
    createdAt: str(item, 'createdAt') ?? '',
  };
}

export function toTarget(
  item: Item | undefined,
  fallback: Omit<AcceptanceTarget, 'version' | 'history'>,
): AcceptanceTarget {
  if (!item) return { ...fallback, version: 0, history: [] };
  const activeAcceptanceId = str(item, 'activeAcceptanceId');
  const activeRevisionId = str(item, 'activeRevisionId');
  return {
    ...fallback,
    version: typeof item.version === 'number' ? item.version : 0,
    ...(activeAcceptanceId ? { activeAcceptanceId } : {}),
    ...(activeRevisionId ? { activeRevisionId } : {}),
    history: objects(item.history).map((entry) => ({
      acceptanceId: text(entry.acceptanceId),
      revisionId: text(entry.revisionId),
      acceptedAt: text(entry.acceptedAt),
      ...(typeof entry.endedAt === 'string' ? { endedAt: entry.endedAt } : {}),
      ...(entry.endReason === 'terminated' || entry.endReason === 'superseded' ? { endReason: entry.endReason } : {}),
    })),
  };
}

export function targetFacts(target: AcceptanceTarget): AcceptanceFact[] {
  return target.history.map((entry) => ({
    acceptanceId: entry.acceptanceId,
    agreementId: target.agreementId,
    scope: target.scope,
    ...(target.accountId ? { accountId: target.accountId } : {}),
    revisionId: entry.revisionId,
    acceptedAt: entry.acceptedAt,
    ...(entry.endedAt ? { endedAt: entry.endedAt } : {}),
  }));
}

export function revisionFacts(agreement: Agreement): RevisionFact[] {
  return agreement.revisions.map((revision) => ({
    revisionId: revision.revisionId,
    publishedAt: revision.publishedAt,
  }));
}

export function toAcceptanceRecord(item: Item): AcceptanceRecord {
  const by =
    typeof item.acceptedBy === 'object' && item.acceptedBy !== null && !Array.isArray(item.acceptedBy)
      ? item.acceptedBy
      : {};
  const accountId = str(item, 'accountId');
  const sourceIp = str(item, 'sourceIp');
  const userAgent = str(item, 'userAgent');
  return {
    acceptanceId: str(item, 'acceptanceId') ?? '',
    orgId: str(item, 'orgId') ?? '',
    agreementId: str(item, 'agreementId') ?? '',
    scope: item.scope === 'organization' ? 'organization' : 'account',
    ...(accountId ? { accountId } : {}),
    revisionId: str(item, 'revisionId') ?? '',
    sha256: str(item, 'sha256') ?? '',
    acceptedAt: str(item, 'acceptedAt') ?? '',
    acceptedBy: {
      userId: text(by.userId),
      email: text(by.email),
      accountId: text(by.accountId),
      ...(typeof by.role === 'string' ? { role: by.role } : {}),
    },
    ...(sourceIp ? { sourceIp } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}
