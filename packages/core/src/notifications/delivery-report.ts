/** What one delivery run did, and the totals over every organization's run. */

export interface DeliveryReport {
  entriesProcessed: number;
  cursor: number;
  feedItems: number;
  webhookDeliveries: number;
  emails: number;
  /** Webhook attempts made in this run and their outcomes. */
  attempts: number;
  delivered: number;
  retried: number;
  failed: number;
  webhooksDisabled: string[];
  emailsSent: number;
  emailsFailed: number;
  /** Entry-subscriber pairs not delivered because the subscriber may not read the subject. */
  withheld: number;
}

export function emptyReport(cursor = 0): DeliveryReport {
  return {
    entriesProcessed: 0,
    cursor,
    feedItems: 0,
    webhookDeliveries: 0,
    emails: 0,
    attempts: 0,
    delivered: 0,
    retried: 0,
    failed: 0,
    webhooksDisabled: [],
    emailsSent: 0,
    emailsFailed: 0,
    withheld: 0,
  };
}

export function addTo(totals: DeliveryReport, report: DeliveryReport): void {
  totals.entriesProcessed += report.entriesProcessed;
  totals.feedItems += report.feedItems;
  totals.webhookDeliveries += report.webhookDeliveries;
  totals.emails += report.emails;
  totals.attempts += report.attempts;
  totals.delivered += report.delivered;
  totals.retried += report.retried;
  totals.failed += report.failed;
  totals.webhooksDisabled.push(...report.webhooksDisabled);
  totals.emailsSent += report.emailsSent;
  totals.emailsFailed += report.emailsFailed;
  totals.withheld += report.withheld;
}
