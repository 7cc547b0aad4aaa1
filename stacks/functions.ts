import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FunctionAccess } from './access.js';
import type { FunctionName } from './settings.js';

/**
 * The catalogue of functions: what each one runs, how it is triggered, how big it is and what it may
 * touch. stacks/api.ts and stacks/jobs.ts build from it; stacks/keys.ts derives the key policies from
 * it. A later issue adding a job adds one entry here and its entry file; nothing else changes.
 */

export type JobName = Exclude<FunctionName, 'api'>;

export type JobTrigger =
  | {
      /** EventBridge Scheduler invokes the function directly (retries + its own DLQ). */
      kind: 'schedule';
      expression: string;
    }
  | {
      /** An SQS queue the API sends to; the function consumes it with partial batch responses. */
      kind: 'queue';
      batchSize: number;
      /** Receives before a message moves to the DLQ. */
      maxReceiveCount: number;
      /** Caps concurrent invocations from this queue (protects DynamoDB, KMS and webhook targets). */
      maxConcurrency: number;
      /** Environment variable through which the API learns the queue URL. */
      queueUrlEnv: string;
    };

export interface FunctionSpec {
  name: FunctionName;
  /** Entry file relative to the functions directory; it exports `handler`. */
  entry: string;
  description: string;
  memorySize: number;
  /** Seconds. */
  timeout: number;
  access: FunctionAccess;
  /** Files copied into the bundle (paths from the repo root), e.g. the watermark font. */
  copyFiles?: Array<{ from: string; to: string }>;
}

export interface JobDefinition extends FunctionSpec {
  name: JobName;
  trigger: JobTrigger;
}

const readWriteDelete = ['read', 'write', 'delete'] as const;

export const apiFunction: FunctionSpec = {
  name: 'api',
  entry: 'api.ts',
  description: 'evidence-portal HTTP API (hono)',
  // Watermarking a report PDF (pdf-lib) is the heaviest request; Lambda CPU scales with memory.
  memorySize: 1024,
  // API Gateway HTTP APIs cut integrations at 30 s.
  timeout: 29,
  // Downloads watermark with DejaVu Sans so non-Latin names render (packages/core/src/reports/watermark-pdf.ts).
  copyFiles: [{ from: 'packages/core/assets/fonts', to: 'assets/fonts' }],
  access: {
    table: 'readwrite',
    buckets: { reports: readWriteDelete, bundles: readWriteDelete, checkpoints: ['read', 'write', 'list'] },
    signingKey: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
    dataKey: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
    webhookSecret: true,
    originVerifySecret: true,
    // Invitations are mailed by the request that creates the user.
    mail: true,
  },
};

export const jobDefinitions: readonly JobDefinition[] = [
  {
    name: 'ledger-checkpoint',
    entry: 'jobs/ledger-checkpoint.ts',
    description:
      'Verifies every org ledger completely and signs a chained checkpoint of each that grew; alarms on integrity faults',
    memorySize: 512,
    timeout: 120,
    trigger: { kind: 'schedule', expression: 'rate(1 hour)' },
    access: {
      table: 'readwrite',
      // list: verification cross-checks the table's checkpoint items against the bucket's objects.
      buckets: { checkpoints: ['read', 'write', 'list'] },
      signingKey: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
    },
  },
  {
    name: 'notification-delivery',
    entry: 'jobs/notification-delivery.ts',
    description:
      'Announces new report versions to customer orgs, delivers notifications and signed webhooks, mails queued reset links',
    memorySize: 256,
    // Runs every minute; a run that overlaps the next is harmless (delivery is idempotent per entry).
    timeout: 55,
    trigger: { kind: 'schedule', expression: 'rate(1 minute)' },
    // Mail: notification emails and the queued password-reset links.
    access: { table: 'readwrite', webhookSecret: true, mail: true },
  },
  {
    name: 'report-validation',
    entry: 'jobs/report-validation.ts',
    description: 'Validates and prepares an uploaded report version before it can be published',
    memorySize: 1024,
    timeout: 300,
    trigger: {
      kind: 'queue',
      batchSize: 1,
      maxReceiveCount: 3,
      maxConcurrency: 2,
      queueUrlEnv: 'PORTAL_REPORT_VALIDATION_QUEUE_URL',
    },
    access: { table: 'readwrite', buckets: { reports: ['read', 'write'] } },
  },
  {
    name: 'evidence-export',
    entry: 'jobs/evidence-export.ts',
    description: 'Builds, signs and encrypts an evidence bundle (streamed)',
    memorySize: 1024,
    timeout: 900,
    trigger: {
      kind: 'queue',
      batchSize: 1,
      maxReceiveCount: 3,
      maxConcurrency: 2,
      queueUrlEnv: 'PORTAL_EXPORT_QUEUE_URL',
    },
    access: {
      table: 'readwrite',
      // delete: a failed export removes what it wrote; checkpoints: the ledger proofs name the newest one.
      buckets: { reports: ['read'], bundles: ['read', 'write', 'delete'], checkpoints: ['read', 'list'] },
      signingKey: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
      dataKey: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey'],
    },
  },
];

/** Only jobs whose entry file exists at synth time are deployed; the rest arrive with later issues. */
export function wiredJobs(
  functionsDir: string,
  definitions: readonly JobDefinition[] = jobDefinitions,
): JobDefinition[] {
  return definitions.filter((job) => existsSync(path.join(functionsDir, job.entry)));
}

/** Every function deployed from `functionsDir`: the API and the wired jobs. */
export function deployedFunctions(functionsDir: string): FunctionSpec[] {
  return [apiFunction, ...wiredJobs(functionsDir)];
}

/** `functions/api.ts` -> `functions/api.handler` (SST's handler notation). */
export function handlerPath(functionsDir: string, spec: FunctionSpec): string {
  return path.join(functionsDir, spec.entry).replace(/\.ts$/, '.handler');
}
