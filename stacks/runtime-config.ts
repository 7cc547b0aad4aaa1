import type { Stack } from 'aws-cdk-lib';
import { use } from 'sst/constructs';
import { tableSchema } from '../packages/aws/src/table-schema.js';
import type { AccessTargets } from './access.js';
import { ApiGateway } from './api.js';
import { Data } from './data.js';
import { Keys } from './keys.js';
import { APP_NAME, type PortalSettings } from './settings.js';
import { Web } from './web.js';

/** SSM SecureString holding the webhook signing secret; created out of band (CloudFormation cannot create SecureStrings). */
export const webhookSecretParameterName = (stage: string) => `/${APP_NAME}/${stage}/webhook-signing-secret`;

/**
 * The environment every function's composition root validates at cold start (packages/api/src/config.ts),
 * and the resources their IAM statements may name. Resource names travel as environment variables;
 * permissions are explicit statements (stacks/access.ts), never SST `bind`.
 */
export function runtimeConfig(
  stack: Stack,
  stage: string,
  settings: Pick<PortalSettings, 'previousSigningKeyArns' | 'mail'>,
): { environment: Record<string, string>; targets: AccessTargets } {
  const { previousSigningKeyArns } = settings;
  if (!settings.mail) {
    // Outside the local stack mail must really leave (the API refuses to start without a sender).
    throw new Error(
      `Stage ${stage} has no mail sender: deploy with -c portal:mailFrom=<address of a verified SES identity> (docs/deploy.md)`,
    );
  }
  const keys = use(Keys);
  const data = use(Data);
  const web = use(Web);
  const { originVerify } = use(ApiGateway);
  const parameterName = webhookSecretParameterName(stage);
  return {
    environment: {
      PORTAL_STAGE: stage,
      PORTAL_TABLE_NAME: data.table.tableName,
      PORTAL_REPORTS_BUCKET: data.buckets.reports.bucketName,
      PORTAL_BUNDLES_BUCKET: data.buckets.bundles.bucketName,
      PORTAL_CHECKPOINTS_BUCKET: data.buckets.checkpoints.bucketName,
      PORTAL_SIGNING_KEY_ARN: keys.signingKey.keyArn,
      ...(previousSigningKeyArns.length > 0
        ? { PORTAL_PREVIOUS_SIGNING_KEY_ARNS: previousSigningKeyArns.join(',') }
        : {}),
      PORTAL_DATA_KEY_ARN: keys.dataKey.keyArn,
      PORTAL_SITE_ORIGIN: web.siteOrigin,
      PORTAL_WEBHOOK_SECRET_PARAMETER: parameterName,
      PORTAL_MAIL_FROM: settings.mail.from,
      LOG_LEVEL: 'info',
    },
    targets: {
      tableArn: data.table.tableArn,
      indexNames: tableSchema.globalSecondaryIndexes.map((index) => index.indexName),
      bucketArns: {
        reports: data.buckets.reports.bucketArn,
        bundles: data.buckets.bundles.bucketArn,
        checkpoints: data.buckets.checkpoints.bucketArn,
      },
      signingKeyArn: keys.signingKey.keyArn,
      previousSigningKeyArns: [...previousSigningKeyArns],
      dataKeyArn: keys.dataKey.keyArn,
      storageKeyArn: keys.storageKey.keyArn,
      webhookSecretParameterArn: stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: parameterName.slice(1),
      }),
      originVerifySecretArn: originVerify.secretArn,
      mail: {
        identityArn: stack.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.mail.identity }),
        from: settings.mail.from,
      },
      region: stack.region,
      urlSuffix: stack.urlSuffix,
    },
  };
}
