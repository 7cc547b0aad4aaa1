import type { IntegrityAlarm, IntegrityAlert, Logger } from '@evidence-portal/core';

/** Where the stacks' alarm looks (stacks/monitoring.ts): namespace, metric and its one dimension. */
export const integrityMetric = { namespace: 'EvidencePortal', name: 'IntegrityAlert', dimension: 'Stage' } as const;

/**
 * The IntegrityAlert metric as a CloudWatch Embedded Metric Format log line: the JSON logger writes
 * fields at the top level, and Lambda's log delivery turns a line carrying `_aws` into a metric data
 * point, with no SDK call and no IAM permission (the way Powertools for AWS Lambda publishes
 * metrics). Locally the same line is simply an error-level log line.
 */
export class EmfIntegrityAlarm implements IntegrityAlarm {
  constructor(
    private readonly stage: string,
    private readonly logger: Logger,
  ) {}

  raise(alert: IntegrityAlert): void {
    this.logger.log('error', 'ledger integrity alert (metric)', {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: integrityMetric.namespace,
            Dimensions: [[integrityMetric.dimension]],
            Metrics: [{ Name: integrityMetric.name, Unit: 'Count' }],
          },
        ],
      },
      [integrityMetric.dimension]: this.stage,
      [integrityMetric.name]: 1,
      orgId: alert.orgId,
      kind: alert.kind,
      ...(alert.firstBadSeq !== undefined ? { firstBadSeq: alert.firstBadSeq } : {}),
      detectedBy: alert.detectedBy,
    });
  }
}
