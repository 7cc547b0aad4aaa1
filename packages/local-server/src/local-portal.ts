import { appendFileSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:net';
import { resolve } from 'node:path';
import {
  type AppDeps,
  buildDeps,
  buildJobs,
  createApp,
  createJsonLogger,
  createPdfWorkPool,
  loadConfig,
  localStackEnvironment,
  type PdfWorkPool,
  type PortalConfig,
  type PortalJobs,
  removeLocalStackFile,
  writeLocalStackFile,
} from '@evidence-portal/api';
import { exampleCorpSeed, seedDemoAgreements, seedDemoData, seedDemoReports } from '@evidence-portal/cli';
import { type LogLevel, loggingMailer, type Store } from '@evidence-portal/core';
import { freePort, startLocalStack } from '@evidence-portal/local-stack';
import { serve } from '@hono/node-server';
import { mountStaticSite } from './static-site.js';

export interface LocalPortalOptions {
  /** Port on 127.0.0.1 and ::1; 0 picks a free one (tests). */
  port: number;
  /** Where the stack persists its data (DynamoDB Local, KMS keys, S3 objects) and the demo credentials. */
  dataDir: string;
  /** The built SPA to serve beside the API; absent: API only. */
  webRoot?: string;
  /** Seed the demo organization, reports and agreements (idempotent). Default true. */
  seedDemo?: boolean;
  /** Run the scheduled jobs on timers as AWS runs them on schedules. Default true. */
  runJobs?: boolean;
  logLevel?: LogLevel;
  /** Wraps the real store (the API load bench counts its calls). */
  wrapStore?: (store: Store) => Store;
  /**
   * Worker threads for publish-time PDF parsing and full rewrites (default: the cores but one, 1 to 4);
   * 0 runs that work on the event loop, as a Lambda does (the watermark bench compares the two).
   */
  pdfWorkers?: number;
}

export interface LocalPortal {
  /** `http://localhost:<port>`. */
  url: string;
  port: number;
  config: PortalConfig;
  deps: AppDeps;
  jobs: PortalJobs;
  /** The PDF worker threads (absent with `pdfWorkers: 0`). */
  pdfWork?: PdfWorkPool;
  /** Stops the HTTP servers, the timers and every child of the local stack. */
  stop(): Promise<void>;
}

/**
 * The local composition root (`npm start`): starts the loopback AWS stack with data under `dataDir`,
 * builds the same deps and jobs as AWS does (`buildDeps`, `buildJobs`) from the stack's endpoints,
 * seeds the demo data once, and serves the web app and the API on loopback only.
 */
export async function startLocalPortal(options: LocalPortalOptions): Promise<LocalPortal> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const port = options.port === 0 ? await freePort() : options.port;
  // The console uploads report versions from the browser straight to the local S3 (presigned PUT): CORS.
  const stack = await startLocalStack({
    dataDir,
    uploadOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
  });
  const servers: Server[] = [];
  const timers: NodeJS.Timeout[] = [];
  // A long-running server: PDF parsing and full rewrites run on worker threads, off the event loop.
  const pdfWork =
    options.pdfWorkers === 0 ? undefined : createPdfWorkPool(options.pdfWorkers ? { size: options.pdfWorkers } : {});
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const timer of timers) clearInterval(timer);
    await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
    await pdfWork?.close();
    removeLocalStackFile(dataDir);
    await stack.stop();
  };
  try {
    const environment = localStackEnvironment(stack.info, { stage: 'local', siteOrigin: `http://localhost:${port}` });
    // The stack's ports change every start: written where `evidence admin …` finds them (removed on stop).
    writeLocalStackFile(dataDir, environment);
    const config = loadConfig({
      ...environment,
      PORT: String(port),
      ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
    });
    // Mail stays on this machine: the log line has the token redacted; the whole message (with its
    // link) goes to <dataDir>/mail-outbox.jsonl, a local-only file beside the stack's own data.
    const logger = createJsonLogger(config.logLevel);
    const outbox = resolve(dataDir, 'mail-outbox.jsonl');
    const mailer = loggingMailer(logger, (message) =>
      appendFileSync(outbox, `${JSON.stringify({ ...message, at: new Date().toISOString() })}\n`, { mode: 0o600 }),
    );
    const deps = buildDeps(
      config,
      { logger, mailer },
      { ...(pdfWork ? { pdfWork } : {}), ...(options.wrapStore ? { wrapStore: options.wrapStore } : {}) },
    );
    const jobs = buildJobs(deps);
    if (options.seedDemo ?? true) await seedDemo(deps, dataDir);

    const app = createApp(deps);
    if (options.webRoot) mountStaticSite(app, options.webRoot);

    if (options.runJobs ?? true) {
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
        timers.push(timer);
      };
      every('ledger checkpoint', 60_000, jobs.checkpointLedgers);
      every('notification delivery', 15_000, jobs.deliverNotifications);
      // Evidence exports run as they are queued (SQS triggers the job in AWS); bundles a previous run
      // left queued are built now, and ones it cut off mid-build are marked failed with a reason.
      await jobs.startExportRunner();
      // Reset requests are queued by the API; locally they are mailed within a second.
      every('account mail', 1_000, jobs.deliverAccountMail);
    }

    // Both loopback families, so http://localhost works whichever one the client resolves first.
    for (const hostname of ['127.0.0.1', '::1']) {
      await new Promise<void>((ready, fail) => {
        const server = serve({ fetch: app.fetch, port, hostname }, () => ready()) as Server;
        server.on('error', (error: NodeJS.ErrnoException) => {
          if (hostname === '::1' && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')) return ready();
          fail(new Error(`Could not listen on ${hostname}:${port}: ${error.message}`));
        });
        servers.push(server);
      });
    }
    return { url: `http://localhost:${port}`, port, config, deps, jobs, ...(pdfWork ? { pdfWork } : {}), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Each seed is idempotent on its own, so data added by later releases reaches an existing data dir too. */
async function seedDemo(deps: AppDeps, dataDir: string): Promise<void> {
  await seedDemoData(deps, { credentialsPath: resolve(dataDir, 'demo-credentials.json') });
  const reportsSeeded = await seedDemoReports(deps);
  const agreementsSeeded = await seedDemoAgreements(deps, {
    orgId: exampleCorpSeed.orgId,
    accountWithOwnBaa: '333333333333',
    acceptedBy: { userId: 'u-demoadmin', email: 'admin@example.com' },
    publisherOrgId: 'o-portal-operator',
  });
  deps.logger.log('info', 'demo catalog', { reportsSeeded, agreementsSeeded: agreementsSeeded.created.length });
}
