import type { App } from 'sst/constructs';

/** The SST app name; stack names are `${stage}-evidence-portal-${concern}`. */
export const APP_NAME = 'evidence-portal';

/** The CloudFront-scoped web ACL must live in us-east-1, whatever region the app deploys to. */
export const WAF_REGION = 'us-east-1';

/**
 * Stages whose data must survive a mistaken `sst remove`: tables get deletion protection, keys and
 * buckets are retained. Every other stage (sandbox, dev, pr-123) is ephemeral and can be torn down.
 */
const protectedStages = new Set(['production', 'staging']);
export const isProtectedStage = (stage: string): boolean => protectedStages.has(stage);
export const isProduction = (stage: string): boolean => stage === 'production';

export interface SiteSource {
  /** Directory StaticSite starts from (and runs `buildCommand` in). */
  path: string;
  /** Output directory relative to `path`. */
  buildOutput: string;
  buildCommand?: string;
}

export interface PortalSettings {
  /** Where the Lambda entry points live (`api.ts`, `jobs/*.ts`). */
  functionsDir: string;
  site: SiteSource;
  /** Optional e-mail address subscribed to the alarm topic. */
  alarmEmail?: string;
  /**
   * Signing keys rotated out (their ARNs): they sign nothing, but their public keys stay listed by
   * `GET /api/keys/signing` and trusted by verification, so what they signed still verifies (docs/ledger.md).
   */
  previousSigningKeyArns: string[];
  /**
   * The SES sender of the stage (`-c portal:mailFrom=no-reply@portal.example.com`) and the verified SES
   * identity it belongs to (`-c portal:mailIdentity=portal.example.com`; default: the address's domain).
   */
  mail?: { from: string; identity: string };
  /**
   * The origin-verify secret version CloudFront sends (`-c portal:originVerifyVersion=<VersionId>` after a
   * rotation, docs/deploy.md): naming it changes the template, so the deploy re-reads the secret.
   */
  originVerifyVersion?: string;
}

/**
 * Settings come from CDK context (`-c portal:siteDir=...`, or the App's `context` in tests), so tests
 * point the stacks at fixtures without a second code path. Defaults are what `sst deploy` uses.
 */
export function portalSettings(app: App): PortalSettings {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const siteDir = context('portal:siteDir');
  return {
    functionsDir: context('portal:functionsDir') ?? 'functions',
    // A prebuilt directory when given; otherwise `sst deploy` builds the SPA with the root script.
    site: siteDir
      ? { path: siteDir, buildOutput: '.' }
      : { path: '.', buildOutput: 'web/dist', buildCommand: 'npm run build:web' },
    alarmEmail: context('portal:alarmEmail'),
    previousSigningKeyArns: (context('portal:previousSigningKeyArns') ?? '').split(',').filter((arn) => arn !== ''),
    ...mailSettings(context('portal:mailFrom'), context('portal:mailIdentity')),
    ...(context('portal:originVerifyVersion') ? { originVerifyVersion: context('portal:originVerifyVersion') } : {}),
  };
}

function mailSettings(from: string | undefined, identity: string | undefined): Pick<PortalSettings, 'mail'> {
  if (!from) return {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(from)) throw new Error(`portal:mailFrom is not an email address: ${from}`);
  return { mail: { from, identity: identity ?? from.slice(from.indexOf('@') + 1) } };
}

/** Short names of every function; IAM role names are derived from them (and key policies name those roles). */
export type FunctionName =
  | 'api'
  | 'ledger-checkpoint'
  | 'notification-delivery'
  | 'report-validation'
  | 'evidence-export';

/** `evidence-portal-<stage>-<fn>`: at most 16 + 32 + 1 + 21 = 70 > 64, so the job names are abbreviated. */
const roleSuffix: Record<FunctionName, string> = {
  api: 'api',
  'ledger-checkpoint': 'checkpoint',
  'notification-delivery': 'notify',
  'report-validation': 'validate',
  'evidence-export': 'export',
};
export const functionRoleName = (stage: string, fn: FunctionName): string => `${APP_NAME}-${stage}-${roleSuffix[fn]}`;
