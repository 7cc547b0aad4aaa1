import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  LoggingFormat,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { type FunctionProps, Function as SstFunction } from 'sst/constructs';
import type { FunctionSpec } from './functions.js';
import { functionRoleName, isProtectedStage } from './settings.js';
import { zodEnglishOnly } from './zod-english-only.js';

/**
 * The Lambda runtime the issue asks for. This aws-cdk-lib (2.224) already knows nodejs24.x, so
 * cdk-nag AwsSolutions-L1 flags nodejs22.x as "not the latest"; the suppression below says why we stay.
 */
export const LAMBDA_RUNTIME = 'nodejs22.x' as const;

/**
 * esbuild settings of every function, as SST passes them to esbuild at `sst deploy`. The bundle test
 * (stacks/api-bundle.test.ts) builds functions/api.ts with `esbuildOptionsFor` below, i.e. with the
 * options SST derives from exactly this object.
 */
export const nodejsBundling = {
  format: 'esm',
  minify: true,
  // Code splitting: modules loaded with `await import()` (PDF watermarking: pdf-lib + fontkit, ~1.3 MB)
  // become chunks read on first use, so they never weigh on a cold start that does not need them.
  splitting: true,
  // keepNames off: -70 KB (the errors set `name` explicitly; nothing reads function names at run time).
  // zodEnglishOnly: -300 KB of zod locales the portal never uses.
  esbuild: { target: 'node22', keepNames: false, plugins: [zodEnglishOnly] },
} as const satisfies NonNullable<FunctionProps['nodejs']>;

/**
 * The esbuild BuildOptions SST v2 (runtime/handlers/node.js, "deploy" mode) builds from
 * `nodejsBundling` for one entry file: same platform, banner, externals and flags.
 */
export function esbuildOptionsFor(entry: string, outdir: string) {
  const options = {
    entryPoints: [entry],
    platform: 'node' as const,
    external: ['sharp', 'pg-native'],
    keepNames: true,
    bundle: true,
    logLevel: 'silent' as const,
    splitting: nodejsBundling.splitting,
    metafile: true,
    outExtension: { '.js': '.mjs' },
    format: 'esm' as const,
    target: 'esnext',
    mainFields: ['module', 'main'],
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
        '',
      ].join('\n'),
    },
    outdir,
    sourcemap: true,
    minify: nodejsBundling.minify,
  };
  // SST spreads `nodejs.esbuild` last, so its target wins over the default esnext.
  return { ...options, ...nodejsBundling.esbuild };
}

export interface PortalFunctionProps {
  spec: FunctionSpec;
  handler: string;
  environment: Record<string, string>;
  statements: PolicyStatement[];
  /** The AWS Parameters and Secrets Lambda Extension (the API reads the origin-verify secret through it). */
  paramsAndSecrets?: boolean;
}

/**
 * One function = an explicitly named role holding exactly `statements` (no managed policies), its own
 * log group with retention, JSON structured logs, X-Ray active tracing, arm64, nodejs22.x.
 */
export function createPortalFunction(stack: Stack, id: string, stage: string, props: PortalFunctionProps) {
  const { spec } = props;
  const protectedStage = isProtectedStage(stage);
  const logGroup = new LogGroup(stack, `${id}Logs`, {
    retention: protectedStage ? RetentionDays.ONE_YEAR : RetentionDays.TWO_WEEKS,
    removalPolicy: protectedStage ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const role = new Role(stack, `${id}Role`, {
    roleName: functionRoleName(stage, spec.name),
    description: `evidence-portal ${stage} ${spec.name}: least-privilege execution role`,
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  });
  const policy = new Policy(stack, `${id}Policy`, {
    statements: [
      new PolicyStatement({
        sid: 'Logs',
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      ...props.statements,
    ],
  });
  policy.attachToRole(role);

  const fn = new SstFunction(stack, id, {
    handler: props.handler,
    description: spec.description,
    runtime: LAMBDA_RUNTIME,
    architecture: 'arm_64',
    memorySize: spec.memorySize,
    timeout: spec.timeout,
    tracing: 'active',
    role,
    logGroup,
    loggingFormat: LoggingFormat.JSON,
    environment: props.environment,
    nodejs: nodejsBundling,
    ...(spec.copyFiles ? { copyFiles: spec.copyFiles } : {}),
    ...(props.paramsAndSecrets
      ? {
          paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
            cacheSize: 10,
            logLevel: ParamsAndSecretsLogLevel.WARN,
          }),
        }
      : {}),
  });
  // The role must carry its policy before the function is created, or the first invocations fail.
  fn.node.addDependency(policy);

  NagSuppressions.addResourceSuppressions(
    fn,
    [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Issue 8 fixes the runtime at nodejs22.x (Active LTS, supported by Lambda until 2027-04); this aws-cdk-lib knows nodejs24.x, which the team adopts once it has been tested here. Node 22 is what the local stack runs closest to.',
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(
    role,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (Resource "*" is the only form); the log-stream ARN suffix ":*" is the log group\'s own streams.',
        appliesTo: ['Resource::*'],
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(
    policy,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Object-level S3 actions are granted on "<bucket>/*" of exactly the buckets the function uses (object keys are generated at run time); the log-stream ARN ends in ":*" (streams of its own log group).',
        appliesTo: [{ regex: '/^Resource::(<.*\\.Arn>|<.*Arn.*>|arn:.*)(/\\*|:\\*)$/g' }],
      },
    ],
    true,
  );
  return { fn, role, logGroup, timeout: Duration.seconds(spec.timeout) };
}
