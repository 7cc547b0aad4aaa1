import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { type ITopic, Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { type Stack, type StackContext, use } from 'sst/constructs';
import { integrityMetric } from '../packages/aws/src/integrity-alarm-metric.js';
import { Keys } from './keys.js';
import { isProtectedStage, portalSettings } from './settings.js';

/**
 * The portal's one alarm rule: any occurrence in a 5-minute period (the metric's own period) notifies
 * the alarm topic; no data is no failure.
 */
export function alarmOnAny(stack: Stack, id: string, description: string, metric: IMetric, topic: ITopic): Alarm {
  const alarm = new Alarm(stack, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}

/**
 * Shared observability: the access-log bucket (S3 server access logs of every bucket, CloudFront
 * standard logs) and the alarm topic every CloudWatch alarm notifies.
 */
export function Monitoring({ stack, app }: StackContext) {
  const { storageKey } = use(Keys);
  const protectedStage = isProtectedStage(app.stage);

  const accessLogs = new Bucket(stack, 'AccessLogs', {
    // S3 server access logging targets must use SSE-S3; CloudFront standard logs need ACLs (BucketOwnerPreferred).
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(protectedStage ? 365 : 30) }],
    removalPolicy: protectedStage ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  NagSuppressions.addResourceSuppressions(accessLogs, [
    { id: 'AwsSolutions-S1', reason: 'This is the access-log target bucket; logging it into itself would loop.' },
  ]);

  const alarmTopic = new Topic(stack, 'Alarms', {
    displayName: `evidence-portal ${app.stage} alarms`,
    masterKey: storageKey,
    enforceSSL: true,
  });
  const email = portalSettings(app).alarmEmail;
  if (email)
    new Subscription(stack, 'AlarmEmail', { topic: alarmTopic, protocol: SubscriptionProtocol.EMAIL, endpoint: email });

  // A ledger that fails verification is an alarm, never a silent success (docs/ledger.md): the API and the
  // checkpoint job emit the IntegrityAlert metric as an EMF log line whenever they raise an alert.
  alarmOnAny(
    stack,
    'LedgerIntegrityAlert',
    'evidence-portal: a ledger failed an integrity check (no checkpoint was signed over it); see the error logs ' +
      'and /api/health, and docs/ledger.md for what each fault means',
    new Metric({
      namespace: integrityMetric.namespace,
      metricName: integrityMetric.name,
      dimensionsMap: { [integrityMetric.dimension]: app.stage },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    alarmTopic,
  );

  stack.addOutputs({ AccessLogsBucket: accessLogs.bucketName, AlarmTopicArn: alarmTopic.topicArn });
  return { accessLogs, alarmTopic };
}
