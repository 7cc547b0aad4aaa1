import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { App } from 'sst/constructs';
import { APP_NAME, isProtectedStage, WAF_REGION } from './settings.js';

/** Requests per 5 minutes per client IP, over the whole site and over the sign-in route. */
export const rateLimits = { perIp: 2000, signInPerIp: 100 } as const;

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

const managedRule = (name: string, priority: number): CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
  visibilityConfig: visibility(name),
});

/**
 * The CloudFront-scoped web ACL. CLOUDFRONT scope exists only in us-east-1, so this is a plain CDK
 * stack pinned there (SST stacks all deploy to the app's region); the web stack reads the ACL ARN
 * through CDK cross-region references (an SSM parameter written here, read there).
 */
const wafByApp = new WeakMap<App, { stack: Stack; webAclArn: string }>();

/** The web ACL of this app (createWafStack must have run: stacks/index.ts does it before the Web stack). */
export function useWaf(app: App): { stack: Stack; webAclArn: string } {
  const waf = wafByApp.get(app);
  if (!waf) throw new Error('createWafStack(app) must run before the Web stack');
  return waf;
}

export function createWafStack(app: App) {
  const stack = new Stack(app, `${app.stage}-${APP_NAME}-waf`, {
    env: { account: app.account, region: WAF_REGION },
    crossRegionReferences: true,
    description: `evidence-portal ${app.stage}: CloudFront web ACL (us-east-1)`,
  });

  const webAcl = new CfnWebACL(stack, 'WebAcl', {
    name: `${APP_NAME}-${app.stage}`,
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: visibility(`${APP_NAME}-${app.stage}`),
    rules: [
      managedRule('AWSManagedRulesAmazonIpReputationList', 0),
      managedRule('AWSManagedRulesCommonRuleSet', 1),
      managedRule('AWSManagedRulesKnownBadInputsRuleSet', 2),
      {
        name: 'RateLimitSignIn',
        priority: 3,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: rateLimits.signInPerIp,
            aggregateKeyType: 'IP',
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: '/api/session',
                textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
              },
            },
          },
        },
        visibilityConfig: visibility('RateLimitSignIn'),
      },
      {
        name: 'RateLimitPerIp',
        priority: 4,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: rateLimits.perIp, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
    ],
  });

  // WAF requires the log group name to start with "aws-waf-logs-".
  const logGroup = new LogGroup(stack, 'WebAclLogs', {
    logGroupName: `aws-waf-logs-${APP_NAME}-${app.stage}`,
    retention: isProtectedStage(app.stage) ? RetentionDays.ONE_YEAR : RetentionDays.TWO_WEEKS,
    removalPolicy: isProtectedStage(app.stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  new CfnLoggingConfiguration(stack, 'WebAclLogging', {
    resourceArn: webAcl.attrArn,
    logDestinationConfigs: [
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
  });

  const waf = { stack, webAclArn: webAcl.attrArn };
  wafByApp.set(app, waf);
  return waf;
}
