import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { type StackContext, use } from 'sst/constructs';
import { accessStatements } from './access.js';
import { Data } from './data.js';
import { handlerPath, type JobDefinition, wiredJobs } from './functions.js';
import { createPortalFunction } from './lambda.js';
import { alarmOnAny, Monitoring } from './monitoring.js';
import { runtimeConfig } from './runtime-config.js';
import { portalSettings } from './settings.js';

/** AWS recommends a source queue's visibility timeout of at least six times the function timeout. */
export const visibilityTimeoutFor = (job: JobDefinition): Duration =>
  Duration.seconds(Math.min(6 * job.timeout, 12 * 60 * 60));

const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * Background jobs, built from the definitions in stacks/functions.ts: each is its own function with its
 * own role, a trigger (SQS queue or EventBridge Scheduler), a DLQ, alarms on errors and DLQ depth, and
 * log retention. Only jobs whose entry file exists are wired (later issues add the files).
 */
export function Jobs({ stack, app }: StackContext) {
  const { alarmTopic } = use(Monitoring);
  const settings = portalSettings(app);
  const { environment, targets } = runtimeConfig(stack, app.stage, settings);
  const queues: { name: JobDefinition['name']; queueUrlEnv: string; queue: Queue }[] = [];

  for (const job of wiredJobs(settings.functionsDir)) {
    const id = pascal(job.name);
    const { fn } = createPortalFunction(stack, `${id}Function`, app.stage, {
      spec: job,
      handler: handlerPath(settings.functionsDir, job),
      environment,
      statements: accessStatements(job.access, targets),
    });
    const dlq = new Queue(stack, `${id}Dlq`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    if (job.trigger.kind === 'queue') {
      const queue = new Queue(stack, `${id}Queue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: visibilityTimeoutFor(job),
        deadLetterQueue: { queue: dlq, maxReceiveCount: job.trigger.maxReceiveCount },
      });
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: job.trigger.batchSize,
          maxConcurrency: job.trigger.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      queues.push({ name: job.name, queueUrlEnv: job.trigger.queueUrlEnv, queue });
      if (job.name === 'report-validation') {
        // Uploads arrive through presigned PUTs, so S3 itself announces them: the reports bucket sends
        // its events to EventBridge and this rule queues each new original for validation, whether or
        // not the publisher ever calls finalize. (EventBridge, not a bucket notification: that would
        // make the data stack depend on this one.)
        const { buckets } = use(Data);
        new Rule(stack, 'ReportUploadedRule', {
          description: 'New report originals in the reports bucket -> report-validation queue',
          eventPattern: {
            source: ['aws.s3'],
            detailType: ['Object Created'],
            detail: { bucket: { name: [buckets.reports.bucketName] }, object: { key: [{ prefix: 'originals/' }] } },
          },
          targets: [new SqsQueue(queue)],
        });
      }
    } else {
      const schedulerRole = new Role(stack, `${id}SchedulerRole`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      });
      schedulerRole.addToPolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      );
      schedulerRole.addToPolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [dlq.queueArn] }),
      );
      new CfnSchedule(stack, `${id}Schedule`, {
        description: job.description,
        scheduleExpression: job.trigger.expression,
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: fn.functionArn,
          roleArn: schedulerRole.roleArn,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          deadLetterConfig: { arn: dlq.queueArn },
        },
      });
      NagSuppressions.addResourceSuppressions(dlq, [
        {
          id: 'AwsSolutions-SQS3',
          reason:
            'This queue is the dead-letter queue of the EventBridge Scheduler schedule (cdk-nag only recognizes DLQs of other queues).',
        },
      ]);
    }

    alarmOnAny(
      stack,
      `${id}Errors`,
      `evidence-portal ${job.name} function errors`,
      fn.metricErrors({ period: Duration.minutes(5) }),
      alarmTopic,
    );
    alarmOnAny(
      stack,
      `${id}DlqDepth`,
      `evidence-portal ${job.name}: messages in the dead-letter queue`,
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      alarmTopic,
    );
  }

  return { queues };
}
