import { z } from 'zod';

/**
 * Configuration is read from the environment exactly once, here, and validated; a missing or invalid
 * variable stops the process at start with a message naming it. Nothing else reads the environment.
 */
const stage = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes, starting with a letter');
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const url = z.url({ protocol: /^https?$/ });

const environmentSchema = z.object({
  PORTAL_STAGE: stage,
  AWS_REGION: nonEmpty,
  PORTAL_TABLE_NAME: nonEmpty,
  PORTAL_REPORTS_BUCKET: nonEmpty,
  PORTAL_BUNDLES_BUCKET: nonEmpty,
  PORTAL_CHECKPOINTS_BUCKET: nonEmpty,
  PORTAL_SIGNING_KEY_ARN: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/, 'a KMS key ARN'),
  PORTAL_DATA_KEY_ARN: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/, 'a KMS key ARN'),
  /** Signing keys rotated out (comma-separated ARNs): they sign nothing, their old signatures still verify. */
  PORTAL_PREVIOUS_SIGNING_KEY_ARNS: z
    .string()
    .regex(
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[^,]+)(,arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[^,]+)*$/,
      'comma-separated KMS key ARNs',
    )
    .optional(),
  PORTAL_SITE_ORIGIN: url,
  /** The evidence export queue (AWS: SQS, stacks/jobs.ts). Absent: the in-process queue of the local runner. */
  PORTAL_EXPORT_QUEUE_URL: url.optional(),
  /**
   * The Secrets Manager secret whose value CloudFront sends in the origin-verify header (AWS stages). When
   * set, the API refuses every request without it (the raw execute-api URL, which bypasses the WAF).
   */
  PORTAL_ORIGIN_VERIFY_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'a Secrets Manager secret ARN')
    .optional(),
  /** Lambda's own credentials' session token: the Parameters and Secrets extension serves only its holder. */
  AWS_SESSION_TOKEN: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Local stack only: loopback endpoints. In AWS these are absent and the SDK defaults apply. */
  PORTAL_DYNAMODB_ENDPOINT: url.optional(),
  PORTAL_KMS_ENDPOINT: url.optional(),
  PORTAL_S3_ENDPOINT: url.optional(),
  /** The verified SES identity account mail is sent from (AWS stages; the local stack logs mail instead). */
  PORTAL_MAIL_FROM: z.email().optional(),
  PORTAL_MAIL_CONFIGURATION_SET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an SES configuration set name')
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PORTAL_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(6_000_000)
    .default(256 * 1024),
});

export interface PortalConfig {
  stage: string;
  region: string;
  tableName: string;
  buckets: { reports: string; bundles: string; checkpoints: string };
  signingKeyArn: string;
  /** Retired signing keys whose public keys stay listed and trusted (key rotation). */
  previousSigningKeyArns: string[];
  dataKeyArn: string;
  siteOrigin: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Present only against the local stack. */
  endpoints?: { dynamodb: string; kms: string; s3: string };
  /** SES sender (required in AWS, where mail must really leave; absent locally: mail goes to the log). */
  mail?: { from: string; configurationSet?: string };
  port: number;
  maxBodyBytes: number;
  /** SQS queue of evidence exports (AWS); absent locally. */
  exportQueueUrl?: string;
  /** The origin-verify secret (AWS): requests without its value in the header are refused. */
  originVerify?: { secretArn: string; extensionToken: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(environment: Readonly<Record<string, string | undefined>>): PortalConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        return environment[name] === undefined ? `${name} is missing` : `${name} is invalid: ${issue.message}`;
      }),
    );
  }
  const env = parsed.data;
  const endpointNames = ['PORTAL_DYNAMODB_ENDPOINT', 'PORTAL_KMS_ENDPOINT', 'PORTAL_S3_ENDPOINT'] as const;
  const given = endpointNames.filter((name) => env[name] !== undefined);
  if (given.length !== 0 && given.length !== endpointNames.length) {
    const missing = endpointNames.filter((name) => env[name] === undefined);
    throw new ConfigError(missing.map((name) => `${name} is missing (local endpoints are all or none)`));
  }
  if (given.length === 0 && env.PORTAL_MAIL_FROM === undefined) {
    // Without local endpoints this is AWS: invitation and reset links must be mailed, never logged.
    throw new ConfigError(['PORTAL_MAIL_FROM is missing (the SES sender identity; required outside the local stack)']);
  }
  return {
    stage: env.PORTAL_STAGE,
    region: env.AWS_REGION,
    tableName: env.PORTAL_TABLE_NAME,
    buckets: {
      reports: env.PORTAL_REPORTS_BUCKET,
      bundles: env.PORTAL_BUNDLES_BUCKET,
      checkpoints: env.PORTAL_CHECKPOINTS_BUCKET,
    },
    signingKeyArn: env.PORTAL_SIGNING_KEY_ARN,
    previousSigningKeyArns: env.PORTAL_PREVIOUS_SIGNING_KEY_ARNS?.split(',') ?? [],
    dataKeyArn: env.PORTAL_DATA_KEY_ARN,
    siteOrigin: env.PORTAL_SITE_ORIGIN,
    logLevel: env.LOG_LEVEL,
    ...(env.PORTAL_DYNAMODB_ENDPOINT && env.PORTAL_KMS_ENDPOINT && env.PORTAL_S3_ENDPOINT
      ? {
          endpoints: {
            dynamodb: env.PORTAL_DYNAMODB_ENDPOINT,
            kms: env.PORTAL_KMS_ENDPOINT,
            s3: env.PORTAL_S3_ENDPOINT,
          },
        }
      : {}),
    ...(env.PORTAL_MAIL_FROM
      ? {
          mail: {
            from: env.PORTAL_MAIL_FROM,
            ...(env.PORTAL_MAIL_CONFIGURATION_SET ? { configurationSet: env.PORTAL_MAIL_CONFIGURATION_SET } : {}),
          },
        }
      : {}),
    port: env.PORT,
    maxBodyBytes: env.PORTAL_MAX_BODY_BYTES,
    ...(env.PORTAL_EXPORT_QUEUE_URL ? { exportQueueUrl: env.PORTAL_EXPORT_QUEUE_URL } : {}),
    ...(env.PORTAL_ORIGIN_VERIFY_SECRET_ARN
      ? {
          originVerify: {
            secretArn: env.PORTAL_ORIGIN_VERIFY_SECRET_ARN,
            extensionToken: env.AWS_SESSION_TOKEN ?? '',
          },
        }
      : {}),
  };
}

/** What the loopback stack tells about itself (packages/local-stack's LocalStackInfo, structurally). */
export interface LocalStackEndpoints {
  region: string;
  tableName: string;
  buckets: { reports: string; bundles: string; checkpoints: string };
  signingKeyArn: string;
  dataKeyArn: string;
  dynamodbEndpoint: string;
  kmsEndpoint: string;
  s3Endpoint: string;
}

/**
 * The environment a deployment would have, pointed at a loopback stack (npm start, tests, benches):
 * `loadConfig` of it gives the local config. `settings` names the stage and the site's origin.
 */
export function localStackEnvironment(
  info: LocalStackEndpoints,
  settings: { stage: string; siteOrigin: string },
): Record<string, string> {
  return {
    PORTAL_STAGE: settings.stage,
    AWS_REGION: info.region,
    PORTAL_TABLE_NAME: info.tableName,
    PORTAL_REPORTS_BUCKET: info.buckets.reports,
    PORTAL_BUNDLES_BUCKET: info.buckets.bundles,
    PORTAL_CHECKPOINTS_BUCKET: info.buckets.checkpoints,
    PORTAL_SIGNING_KEY_ARN: info.signingKeyArn,
    PORTAL_DATA_KEY_ARN: info.dataKeyArn,
    PORTAL_DYNAMODB_ENDPOINT: info.dynamodbEndpoint,
    PORTAL_KMS_ENDPOINT: info.kmsEndpoint,
    PORTAL_S3_ENDPOINT: info.s3Endpoint,
    PORTAL_SITE_ORIGIN: settings.siteOrigin,
  };
}
