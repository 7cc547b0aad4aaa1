import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { App } from 'sst/constructs';
import { initProject } from 'sst/project.js';
import { portalStacks } from './index.js';
import { APP_NAME } from './settings.js';

/**
 * Test support: synthesizes the whole portal for one stage, offline, exactly as `sst deploy` builds it
 * (SST App in deploy mode, deferred tasks: esbuild bundling and the site archive), but with the Lambda
 * entry points and the SPA taken from stacks/test-fixtures. Synthesize once per App.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixtures = path.join(repoRoot, 'stacks', 'test-fixtures');
export const TEST_ACCOUNT = '123456789012';

export type Concern = 'keys' | 'monitoring' | 'waf' | 'api-gateway' | 'web' | 'data' | 'jobs' | 'api';
const stackIds: Record<Concern, string> = {
  keys: 'Keys',
  monitoring: 'Monitoring',
  waf: 'waf',
  'api-gateway': 'ApiGateway',
  web: 'Web',
  data: 'Data',
  jobs: 'Jobs',
  api: 'Api',
};

export interface SynthOptions {
  stage: string;
  region?: string;
  functionsDir?: string;
  /** Run cdk-nag AwsSolutions over the app (findings become annotations on the stacks). */
  nag?: boolean;
}

export interface SynthResult {
  app: App;
  stacks: Record<Concern, Stack>;
  templates: Record<Concern, Template>;
  /** cdk-nag findings (errors and warnings) left after suppressions; empty means clean. */
  findings: NagFinding[];
}

export interface NagFinding {
  concern: Concern;
  level: string;
  path: string;
  rule: string;
  message: string;
}

export async function synthPortal(options: SynthOptions): Promise<SynthResult> {
  const region = options.region ?? 'eu-west-1';
  process.env.NODE_ENV = 'test';
  await initProject({ stage: options.stage, region, root: repoRoot });
  const app = new App(
    { mode: 'deploy', stage: options.stage, name: APP_NAME, region, account: TEST_ACCOUNT },
    {
      outdir: mkdtempSync(path.join(os.tmpdir(), 'portal-cdk-out-')),
      context: {
        'portal:functionsDir': options.functionsDir ?? path.join(fixtures, 'functions'),
        'portal:siteDir': path.join(fixtures, 'site'),
        'portal:mailFrom': 'no-reply@portal.example.com',
      },
    },
  );
  if (options.nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  portalStacks(app);
  await app.finish();
  const assembly = app.synth();
  const stacks = Object.fromEntries(
    Object.entries(stackIds).map(([concern, id]) => {
      const stack = app.node.children.find(
        (child): child is Stack => child instanceof Stack && child.stackName === `${options.stage}-${APP_NAME}-${id}`,
      );
      if (!stack) throw new Error(`stack ${id} not found`);
      return [concern, stack];
    }),
  ) as Record<Concern, Stack>;
  // From the one synthesized assembly: Template/Annotations.fromStack would synthesize the App again.
  const artifact = (concern: Concern) => assembly.getStackArtifact(stacks[concern].artifactId);
  const concerns = Object.keys(stackIds) as Concern[];
  const templates = Object.fromEntries(
    concerns.map((concern) => [concern, Template.fromJSON(artifact(concern).template)]),
  ) as Record<Concern, Template>;
  const findings = concerns.flatMap((concern) =>
    artifact(concern)
      .messages.filter((message) => String(message.entry.data).startsWith('AwsSolutions-'))
      .map((message) => ({
        concern,
        level: message.level,
        path: message.id,
        rule: String(message.entry.data).split(':')[0] ?? '',
        message: String(message.entry.data),
      })),
  );
  return { app, stacks, templates, findings };
}
