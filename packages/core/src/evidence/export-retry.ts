import { DependencyAccessDeniedError, DependencyUnavailableError, DomainError } from '../errors.js';

/** How hard the export job tries before a bundle is marked failed. */
export interface ExportRetryPolicy {
  /** Attempts of one export, the first included. */
  attempts: number;
  /** Wait after the first failed attempt; doubles after each further one, capped, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Throttling, 5xx and network failures of S3, KMS or the table (after the SDK's own retries of each
 * call): worth another attempt of the whole export, which streams from the start again.
 */
export function isTransientExportFailure(error: unknown): boolean {
  return error instanceof DependencyUnavailableError && error.retryable;
}

/** The wait before attempt `failed + 1`: half the doubled delay plus a random half of it. */
export function exportRetryDelayMs(policy: ExportRetryPolicy, failed: number, random: () => number = Math.random) {
  const cap = Math.min(policy.baseDelayMs * 2 ** Math.max(0, failed - 1), policy.maxDelayMs);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

const serviceName: Record<DependencyUnavailableError['dependency'], string> = {
  store: 'the portal database',
  kms: 'KMS',
  s3: 'S3',
  mail: 'mail',
  PDF: 'the PDF workers',
};

/**
 * Why an export failed, for the requester: which dependency and how often it was tried. Core error
 * messages name the service, operation and error name only (never an ARN or a principal).
 */
export function exportFailureReason(error: unknown, attempts: number): string {
  const tries = attempts === 1 ? 'once' : `${attempts} times`;
  if (error instanceof DependencyUnavailableError) {
    return error.retryable
      ? `${serviceName[error.dependency]} was unavailable or throttling (${error.message}); tried ${tries}. Request the export again later.`
      : `${serviceName[error.dependency]} is not usable (${error.message}); not retried. Request the export again once the operator has fixed it.`;
  }
  if (error instanceof DependencyAccessDeniedError) {
    return `The portal was refused access to ${serviceName[error.dependency]} (${error.message}), a deployment fault; not retried. Request the export again once the operator has fixed it.`;
  }
  if (error instanceof DomainError) return error.message;
  return 'The export failed inside the portal; request it again.';
}

/** The reason a bundle gets when the local runner finds it was being built when the portal stopped. */
export const interruptedExportReason =
  'The export was interrupted: the portal stopped while building it. Request it again.';
