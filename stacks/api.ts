import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { type StackContext, use } from 'sst/constructs';
import { accessStatements } from './access.js';
import { apiFunction, handlerPath } from './functions.js';
import { Jobs } from './jobs.js';
import { createPortalFunction } from './lambda.js';
import { alarmOnAny, Monitoring } from './monitoring.js';
import { runtimeConfig } from './runtime-config.js';
import { APP_NAME, isProtectedStage, portalSettings } from './settings.js';

/** HTTP API stage throttling: the backstop behind the WAF rate rules (which only see CloudFront traffic). */
export const apiThrottle = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * The HTTP API itself, without routes: CloudFront (stacks/web.ts) needs its domain, and the function
 * needs CloudFront's domain (PORTAL_SITE_ORIGIN), so the API shell comes first and the routes last.
 */
export function ApiGateway({ stack, app }: StackContext) {
  const protectedStage = isProtectedStage(app.stage);
  const accessLogs = new LogGroup(stack, 'ApiAccessLogs', {
    retention: protectedStage ? RetentionDays.ONE_YEAR : RetentionDays.TWO_WEEKS,
    removalPolicy: protectedStage ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const httpApi = new HttpApi(stack, 'HttpApi', {
    apiName: `${APP_NAME}-${app.stage}`,
    description: `evidence-portal ${app.stage} API (reached through CloudFront /api/*)`,
    createDefaultStage: false,
  });
  new HttpStage(stack, 'DefaultStage', {
    httpApi,
    stageName: '$default',
    autoDeploy: true,
    throttle: apiThrottle,
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          method: '$context.httpMethod',
          path: '$context.path',
          status: '$context.status',
          latencyMs: '$context.responseLatency',
          integrationError: '$context.integrationErrorMessage',
          userAgent: '$context.identity.userAgent',
        }),
      ),
    },
  });
  const originDomain = `${httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  // The execute-api URL stays reachable (CloudFront's origin is that domain), so it answers only requests
  // carrying CloudFront's origin-verify header: everything else bypassed the WAF (docs/deploy.md).
  const originVerify = new Secret(stack, 'OriginVerifySecret', {
    description: `evidence-portal ${app.stage}: the header value CloudFront sends the API (rotation: docs/deploy.md)`,
    generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    removalPolicy: protectedStage ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  NagSuppressions.addResourceSuppressions(originVerify, [
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFront reads the value at deploy time, so a rotation is a put-secret-value followed by a deploy (docs/deploy.md); the API accepts the current and the previous value meanwhile. A scheduled rotation without the deploy would lock CloudFront out.',
    },
  ]);
  stack.addOutputs({ ApiEndpoint: httpApi.apiEndpoint });
  return { httpApi, originDomain, originVerify };
}

/** The API function (functions/api.ts: hono `handle(createApp(...))`) and its `/api/{proxy+}` route. */
export function Api({ stack, app }: StackContext) {
  const { httpApi, originVerify } = use(ApiGateway);
  const { alarmTopic } = use(Monitoring);
  const { queues } = use(Jobs);
  const settings = portalSettings(app);
  const { environment, targets } = runtimeConfig(stack, app.stage, settings);

  const queueEnvironment: Record<string, string> = {};
  const queueStatements: PolicyStatement[] = [];
  for (const { name, queueUrlEnv, queue } of queues) {
    queueEnvironment[queueUrlEnv] = queue.queueUrl;
    const sid = `Enqueue${name.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase())}`;
    queueStatements.push(
      new PolicyStatement({ sid, effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
  }

  const { fn } = createPortalFunction(stack, 'ApiFunction', app.stage, {
    spec: apiFunction,
    handler: handlerPath(settings.functionsDir, apiFunction),
    // Only the API serves HTTP, so only it checks (and may read) the origin-verify secret.
    environment: { ...environment, ...queueEnvironment, PORTAL_ORIGIN_VERIFY_SECRET_ARN: originVerify.secretArn },
    statements: [...accessStatements(apiFunction.access, targets), ...queueStatements],
    paramsAndSecrets: true,
  });

  const integration = new HttpLambdaIntegration('ApiIntegration', fn, {
    payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
  });
  const route = new HttpRoute(stack, 'ApiRoute', {
    httpApi,
    routeKey: HttpRouteKey.with('/api/{proxy+}', HttpMethod.ANY),
    integration,
  });
  // The Artifact-compatible API on the same function (docs/artifact-api.md): it verifies SigV4 itself.
  const artifactRoute = new HttpRoute(stack, 'ArtifactRoute', {
    httpApi,
    routeKey: HttpRouteKey.with('/artifact/{proxy+}', HttpMethod.ANY),
    integration,
  });
  NagSuppressions.addResourceSuppressions(route, [
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'The portal authenticates every request itself (opaque session tokens, MFA, IAM-style authorize() on every route, DESIGN.md); /api/health, /api/session and the docs must stay reachable without a token.',
    },
  ]);
  NagSuppressions.addResourceSuppressions(artifactRoute, [
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'The Artifact API authenticates every request by its AWS Signature Version 4 against portal access keys (packages/api/src/artifact/artifact-authentication.ts) before any operation runs.',
    },
  ]);

  alarmOnAny(
    stack,
    'ApiErrors',
    'evidence-portal API function errors (unhandled exceptions, timeouts)',
    fn.metricErrors({ period: Duration.minutes(5) }),
    alarmTopic,
  );

  stack.addOutputs({ ApiFunctionName: fn.functionName });
  return { fn };
}
