import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ExportQueue } from '@evidence-portal/core';
import { DependencyUnavailableError } from '@evidence-portal/core';

/**
 * The ExportQueue port on the evidence-export SQS queue (stacks/jobs.ts): one message per bundle.
 * The SQS client is loaded on the first export request, not at the API's cold start.
 */
export class SqsExportQueue implements ExportQueue {
  private client:
    | Promise<{ sqs: SQSClient; send: typeof import('@aws-sdk/client-sqs').SendMessageCommand }>
    | undefined;

  constructor(
    private readonly region: string,
    private readonly queueUrl: string,
  ) {}

  /** The queue the API function's environment names (the function's role may send to it). */
  static create(region: string, queueUrl: string): SqsExportQueue {
    return new SqsExportQueue(region, queueUrl);
  }

  async enqueue(job: { orgId: string; bundleId: string }): Promise<void> {
    this.client ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({
      sqs: new SQSClient({ region: this.region, maxAttempts: 3 }),
      send: SendMessageCommand,
    }));
    const { sqs, send } = await this.client;
    try {
      await sqs.send(new send({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }));
    } catch (error) {
      throw new DependencyUnavailableError('store', 'The export queue did not accept the job', true, { cause: error });
    }
  }
}
