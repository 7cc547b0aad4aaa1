import type { Subscription } from '../../api/types.js';

export type NotificationKind = Subscription['kinds'][number];

/** Words for each kind; the compiler checks the list against the generated API types. */
export const kindLabels = {
  'report.published': 'A report or a new version is published',
  'agreement.revision': 'An agreement has a new revision',
  'agreement.accepted': 'An agreement is accepted',
  'agreement.terminated': 'An agreement is terminated',
  'coverage.lost': 'An account loses agreement coverage',
  'export.finished': 'An evidence export finished',
  'account.changed': 'An account joins, moves or leaves',
  'ledger.checkpoint': 'A ledger checkpoint is signed (keep it: it proves the history)',
  'ledger.integrity': 'The ledger fails an integrity check',
} as const satisfies Record<NotificationKind, string>;

export const notificationKinds = Object.keys(kindLabels) as NotificationKind[];
