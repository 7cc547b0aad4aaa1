/**
 * The API under load, through the real routes, session middleware and authorizer, on `npm start`'s
 * stack (`startLocalPortal`: DynamoDB Local, the local KMS, the local S3, the demo data):
 *
 * 1. Store calls per request (a counting wrapper around the real DynamoStore), for each route, once
 *    cold and then warm, on the demo catalog and again after a 10,000-version catalog is loaded;
 * 2. requests/s and latency (p50, p99) of each route under 50 connections (autocannon), against
 *    `/api/health` measured in the same run as the baseline.
 *
 * Goals (issue 13): `/api/reports?limit=25` at most 5 Store calls on both catalogs; the reports list
 * at least 0.5x the health throughput with p99 under 1 s and no errors. Exit code 1 on a miss.
 *
 *   npm run bench:api [-- seconds=10 connections=50 versions=10000 load=1]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPortal } from '@evidence-portal/local-server';
import autocannon from 'autocannon';
import { CountingStore } from '../test/agreements/counting-store.js';
import { categoryReaderPolicy, seedLargeCatalog } from '../test/reports/catalog-seed.js';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg) => {
    const [key, value] = arg.split('=');
    return key && value ? [[key, Number(value)]] : [];
  }),
) as Record<string, number>;
const seconds = args.seconds ?? 10;
const connections = args.connections ?? 50;
const largeVersions = args.versions ?? 10_000;
const storeCallBudget = 5;
/** `load=0` measures Store calls only. */
const runLoad = (args.load ?? 1) !== 0;

const dataDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
let counting: CountingStore | undefined;
const portal = await startLocalPortal({
  port: 0,
  dataDir,
  runJobs: false,
  logLevel: 'warn',
  wrapStore: (store) => {
    counting = new CountingStore(store);
    return counting;
  },
});
const failures: string[] = [];
try {
  const store = counting as CountingStore;
  const credentials = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as {
    users: Array<{ email: string; password: string; organizationId: string; totpSecret?: string }>;
  };
  const auditor = credentials.users.find((user) => user.email === 'auditor@example.com');
  if (!auditor) throw new Error('the demo credentials name no auditor@example.com');
  const signIn = await fetch(`${portal.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: auditor.email, password: auditor.password, organization: auditor.organizationId }),
  });
  if (signIn.status !== 201 && signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}`);
  const { token } = (await signIn.json()) as { token: string };
  let headers: Record<string, string> = { authorization: `Bearer ${token}` };

  const get = async (path: string) => {
    const response = await fetch(`${portal.url}${path}`, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
    return JSON.parse(body) as unknown;
  };
  const list = (await get('/api/reports?limit=25')) as { items: Array<{ id: string }> };
  const auditorAccount = ((await get('/api/me')) as { account: { accountId: string } }).account.accountId;
  const reportId = list.items[0]?.id;
  if (!reportId) throw new Error('the auditor sees no report');
  const routes = ['/api/reports?limit=25', `/api/reports/${reportId}`, '/api/agreements', '/api/me', '/api/health'];

  /** Store calls of one request, after a change of the org's access data (cold) and then again (warm). */
  const callsOf = async (path: string) => {
    store.reset();
    await get(path);
    const first = store.calls;
    store.reset();
    await get(path);
    return { first, warm: store.calls, byMethod: { ...store.byMethod } };
  };
  const printCalls = async (label: string) => {
    console.log(`\nStore calls per request (${label}):`);
    for (const path of routes) {
      const calls = await callsOf(path);
      console.log(`  ${path.padEnd(40)} first=${calls.first} warm=${calls.warm}  ${JSON.stringify(calls.byMethod)}`);
      if (path.startsWith('/api/reports?') && Math.max(calls.first, calls.warm) > storeCallBudget) {
        failures.push(
          `${label}: ${path} used ${Math.max(calls.first, calls.warm)} Store calls (budget ${storeCallBudget})`,
        );
      }
    }
  };

  const load = async (path: string, duration = seconds, clients = connections) => {
    const result = await autocannon({
      url: `${portal.url}${path}`,
      connections: clients,
      duration,
      headers,
      timeout: 10,
    });
    const errors = result.errors + result.timeouts + result.non2xx;
    return { path, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
  };
  const printLoad = async (label: string, paths: string[]) => {
    if (!runLoad) return;
    console.log(`\nUnder ${connections} connections, ${seconds} s each (${label}):`);
    // Warm every route first (JIT, connection pools, caches), so no figure carries the start-up.
    for (const path of ['/api/health', ...paths]) await load(path, 2, 10);
    const health = await load('/api/health');
    const rows = [health];
    for (const path of paths) rows.push(await load(path));
    for (const row of rows) {
      console.log(
        `  ${row.path.padEnd(40)} ${row.rps.toFixed(0).padStart(6)} req/s  ratio=${(row.rps / health.rps).toFixed(2)}x health  ` +
          `p50=${row.p50} ms p99=${row.p99} ms  errors=${row.errors}`,
      );
    }
    const reports = rows.find((row) => row.path.startsWith('/api/reports?'));
    if (reports) {
      if (reports.rps < 0.5 * health.rps)
        failures.push(`${label}: reports list at ${(reports.rps / health.rps).toFixed(2)}x health (goal 0.5x)`);
      if (reports.p99 >= 1000) failures.push(`${label}: reports list p99 ${reports.p99} ms (goal < 1000 ms)`);
    }
    for (const row of rows) if (row.errors > 0) failures.push(`${label}: ${row.path} had ${row.errors} errors`);
  };

  console.log(`portal at ${portal.url}; demo catalog of ${list.items.length} report(s) visible to the auditor`);
  await printCalls('demo catalog');
  await printLoad('demo catalog', routes.slice(0, 4));

  if (largeVersions > 0) {
    const seedStart = performance.now();
    const seeded = await seedLargeCatalog(portal.deps.store, portal.deps.ids, {
      versions: largeVersions,
      versionsPerReport: 10,
    });
    console.log(
      `\nloaded ${seeded.length} reports / ${largeVersions} versions in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    await printCalls(`${largeVersions}-version catalog`);
    await printLoad(`${largeVersions}-version catalog`, ['/api/reports?limit=25']);

    // A caller allowed portal:ListReports only for PCI reports: the catalog query reads only that
    // partition (the policies' bounds pushed into the query), at the same Store calls.
    const orgId = auditor.organizationId;
    const actor = { type: 'system', id: 'bench' } as const;
    const policy = await portal.deps.policies.createPolicy(
      orgId,
      {
        name: 'BenchPciReportsOnly',
        document: categoryReaderPolicy('PCI'),
      },
      actor,
    );
    const password = 'Bench-Pci-Reader-Password-1';
    const { user } = await portal.deps.users.createUser(
      orgId,
      { email: 'bench.pci@example.com', displayName: 'Bench PCI reader', accountId: auditorAccount, password },
      actor,
    );
    await portal.deps.policies.attach(orgId, { type: 'user', id: user.userId }, policy.policyId, actor);
    const pciSignIn = await fetch(`${portal.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password, organization: orgId }),
    });
    if (pciSignIn.status !== 201 && pciSignIn.status !== 200)
      throw new Error(`PCI sign-in answered ${pciSignIn.status}`);
    headers = { authorization: `Bearer ${((await pciSignIn.json()) as { token: string }).token}` };
    const pciPage = (await get('/api/reports?limit=25')) as { items: Array<{ id: string }> };
    const pciCalls = await callsOf('/api/reports?limit=25');
    console.log(
      `\nPCI-only caller (${pciPage.items.length} reports on the first page): /api/reports?limit=25 ` +
        `first=${pciCalls.first} warm=${pciCalls.warm} ${JSON.stringify(pciCalls.byMethod)}`,
    );
    if (Math.max(pciCalls.first, pciCalls.warm) > storeCallBudget) {
      failures.push(
        `PCI-only caller: /api/reports?limit=25 used ${Math.max(pciCalls.first, pciCalls.warm)} Store calls`,
      );
    }
    await printLoad(`${largeVersions}-version catalog, PCI-only caller`, ['/api/reports?limit=25']);
  }
} finally {
  await portal.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`\nMISSED:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('\nall goals met');
}
