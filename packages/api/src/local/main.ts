/**
 * `npm start`: the local composition root. Starts the loopback AWS stack (data under .data/), seeds
 * the demo organization once, and serves the web app and the API on http://localhost:PORT.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { HttpWebhookTransport, LogEmailSender } from '@evidence-portal/aws';
import {
  demoAdminTotpSecret,
  exampleCorpSeed,
  seedDemoAgreements,
  seedDemoData,
  seedDemoReports,
} from '@evidence-portal/cli';
import { checkpointAllLedgers, runNotificationJob } from '@evidence-portal/core';
import { JavaMissingError, startLocalStack } from '@evidence-portal/local-stack';
import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { buildDeps } from '../composition.js';
import { ConfigError, loadConfig } from '../config.js';
import { mountStaticSite } from './static-site.js';

const repoRoot = resolve(import.meta.dirname, '../../../..');
// PORTAL_DATA_DIR: another data directory (the browser tests start the server on a fresh one per run).
const dataDir = resolve(process.env.PORTAL_DATA_DIR ?? resolve(repoRoot, '.data'));

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const port = process.env.PORT ?? '3000';
  // The console uploads report versions from the browser straight to the local S3 (presigned PUT).
  const stack = await startLocalStack({
    dataDir,
    uploadOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
  });
  let stopping = false;
  const servers: Array<{ close(callback: () => void): void }> = [];
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
    await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
    await stack.stop();
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const info = stack.info;
  const config = loadConfig({
    ...process.env,
    PORTAL_STAGE: 'local',
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
    PORTAL_SITE_ORIGIN: `http://localhost:${port}`,
  });
  const deps = buildDeps(config);
  // Each seed is idempotent on its own, so data added by later releases reaches an existing .data/ too.
  await seedDemoData(deps, { credentialsPath: resolve(dataDir, 'demo-credentials.json') });
  const reportsSeeded = await seedDemoReports(deps);
  const agreementsSeeded = await seedDemoAgreements(deps, {
    orgId: exampleCorpSeed.orgId,
    accountWithOwnBaa: '333333333333',
    acceptedBy: { userId: 'u-demoadmin', email: 'admin@example.com' },
    publisherOrgId: 'o-portal-operator',
  });
  deps.logger.log('info', 'demo catalog', { reportsSeeded, agreementsSeeded: agreementsSeeded.created.length });

  const app = createApp(deps);
  mountStaticSite(app, resolve(repoRoot, 'web/dist'));

  // The jobs AWS runs on schedules, run here on timers (never overlapping themselves).
  const jobLogger = deps.logger.child({ job: true });
  const every = (name: string, ms: number, run: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running || stopping) return;
      running = true;
      run()
        .catch((error: unknown) => jobLogger.log('error', `${name} failed`, { error: String(error) }))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
  };
  every('ledger checkpoint', 60_000, () => checkpointAllLedgers({ ledger: deps.ledger, logger: jobLogger }));
  every('notification delivery', 15_000, () =>
    runNotificationJob({
      store: deps.store,
      clock: deps.clock,
      logger: jobLogger,
      transport: new HttpWebhookTransport({ allowHttp: true }),
      email: new LogEmailSender(jobLogger),
      ledger: deps.ledger,
      authorizer: deps.authorizer,
    }),
  );

  // Both loopback families, so http://localhost works whichever one the client resolves first.
  for (const hostname of ['127.0.0.1', '::1']) {
    await new Promise<void>((ready) => {
      const server = serve({ fetch: app.fetch, port: config.port, hostname }, () => ready());
      server.on('error', (error: NodeJS.ErrnoException) => {
        if (hostname === '::1' && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')) return ready();
        console.error(`Could not listen on ${hostname}:${config.port}: ${error.message}`);
        void shutdown('listen-error', 1);
      });
      servers.push(server);
    });
  }
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'evidence-portal is running',
      url: `http://localhost:${config.port}`,
      apiDocs: `http://localhost:${config.port}/api/docs`,
      dataDir,
    }),
  );
  // Demo sign-in, as in README (also in .data/demo-credentials.json). Demo data never runs against AWS.
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'demo sign-in',
      admin: { email: 'admin@example.com', totpSecret: demoAdminTotpSecret },
      credentialsFile: resolve(dataDir, 'demo-credentials.json'),
    }),
  );
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError || error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
