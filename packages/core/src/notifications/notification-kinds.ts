import type { LedgerEntry } from '../ledger/ledger-writer.js';
import type { ItemValue } from '../ports/store.js';

/**
 * What users subscribe to. Notifications are derived from ledger entries, so a kind is nothing but a
 * name for a set of ledger actions: this table is the one place that says which.
 */
export const notificationKinds = {
  // The publisher's own entries, and the announcement the fan-out appends to each customer's ledger.
  'report.published': ['report:Published', 'report:VersionPublished', 'report:VersionAvailable'],
  'agreement.revision': ['agreement:RevisionPublished'],
  'agreement.accepted': ['agreement:Accepted'],
  'agreement.terminated': ['agreement:Terminated'],
  'coverage.lost': ['agreement:CoverageLost'],
  'export.finished': ['evidence:ExportFinished'],
  'account.changed': ['org:AccountJoined', 'org:AccountLeft', 'org:AccountMoved'],
  // The ledger's own facts (issue 16): each signed checkpoint, so subscribers hold copies (witnesses),
  // and each integrity alert.
  'ledger.checkpoint': ['ledger:CheckpointSigned'],
  'ledger.integrity': ['ledger:IntegrityAlert'],
} as const satisfies Record<string, readonly string[]>;

export type NotificationKind = keyof typeof notificationKinds;

export const notificationKindNames = Object.keys(notificationKinds) as [NotificationKind, ...NotificationKind[]];

const kindByAction = new Map<string, NotificationKind>(
  Object.entries(notificationKinds).flatMap(([kind, actions]) =>
    actions.map((action) => [action, kind as NotificationKind] as const),
  ),
);

/** The kind a ledger action belongs to, or undefined when no one can subscribe to it. */
export function kindOfAction(action: string): NotificationKind | undefined {
  return kindByAction.get(action);
}

/** The attributes subscription filters compare, read from an entry in one place. */
export interface EntryFacets {
  reportCategory?: string;
  reportSeries?: string;
  accountId?: string;
}

function firstString(details: Record<string, ItemValue>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = details[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export function entryFacets(entry: Pick<LedgerEntry, 'details' | 'accountId'>): EntryFacets {
  const details = entry.details ?? {};
  const reportCategory = firstString(details, ['reportCategory', 'category']);
  const reportSeries = firstString(details, ['reportSeries', 'series']);
  const accountId = entry.accountId ?? firstString(details, ['accountId']);
  return {
    ...(reportCategory !== undefined ? { reportCategory } : {}),
    ...(reportSeries !== undefined ? { reportSeries } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
  };
}
