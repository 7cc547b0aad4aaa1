import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ExportQueue } from '@evidence-portal/core';
import { DependencyUnavailableError } from '@evidence-portal/core';

/** The ExportQueue port on the evidence-export SQS queue (stacks/jobs.ts): one message per bundle. */
export class SqsExportQueue implements ExportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** The queue the API function's environment names (the function's role may send to it). */
  static create(region: string, queueUrl: string): SqsExportQueue {
    return new SqsExportQueue(new SQSClient({ region, maxAttempts: 3 }), queueUrl);
  }

  async enqueue(job: { orgId: string; bundleId: string }): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }));
    } catch (error) {
      throw new DependencyUnavailableError('store', 'The export queue did not accept the job', true, { cause: error });
    }
  }
}
