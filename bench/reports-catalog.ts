/**
 * Store calls and latency of the report catalog (list, detail, versions) over 10,000 report versions,
 * against a naive baseline measured in the same run on the same data: read every report item and
 * query each report's newest version for the freshness flags. Prints calls per request and the ratio.
 *
 *   npx tsx bench/reports-catalog.ts [versions=10000] [versionsPerReport=10]
 */
import { buildDeps, loadConfig, localStackEnvironment, silentLogger } from '@evidence-portal/api';
import { createAwsClients, ensureTable, localCredentials } from '@evidence-portal/aws';
import { composePortal, type Item, type Report, reportKeys, reportView, systemCaller } from '@evidence-portal/core';
import { startLocalStack } from '@evidence-portal/local-stack';
import { CountingStore } from '../test/agreements/counting-store.js';
import { seedLargeCatalog } from '../test/reports/catalog-seed.js';

const versions = Number(process.argv[2] ?? 10_000);
const perReport = Number(process.argv[3] ?? 10);
const portalRounds = 20;
/** The baseline is slow; a few rounds give its median. */
const naiveRounds = 3;

const stack = await startLocalStack();
try {
  const info = stack.info;
  const tableName = `bench-reports-${Date.now()}`;
  const { dynamodb } = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  await ensureTable(dynamodb, tableName);
  dynamodb.destroy();
  const deps = buildDeps(
    loadConfig({
      ...localStackEnvironment(info, { stage: 'bench', siteOrigin: 'http://localhost:3000' }),
      PORTAL_TABLE_NAME: tableName,
    }),
    { logger: silentLogger },
  );
  const seedStart = performance.now();
  const reports = await seedLargeCatalog(deps.store, deps.ids, { versions, versionsPerReport: perReport });
  console.log(
    `seeded ${reports.length} reports / ${versions} versions in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const counting = new CountingStore(deps.store);
  const service = composePortal({ ...deps, store: counting }).reports;

  async function measure(name: string, run: () => Promise<unknown>, rounds = portalRounds) {
    const calls: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      counting.reset();
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
      calls.push(counting.calls);
    }
    times.sort((a, b) => a - b);
    const result = { name, maxCalls: Math.max(...calls), firstCalls: calls[0] ?? 0, p50ms: times[rounds >> 1] ?? 0 };
    console.log(
      `${name.padEnd(34)} calls first=${result.firstCalls} max=${result.maxCalls}  p50=${result.p50ms.toFixed(1)} ms`,
    );
    return result;
  }

  const target = reports[Math.floor(reports.length / 2)] as Report;
  const bench = systemCaller('o-bench', 'bench');
  const portalList = await measure('portal list (page of 25)', () =>
    service.listReports(bench, { q: 'availability', sort: '-periodEnd' }),
  );
  await measure('portal list, filtered', () =>
    service.listReports(bench, { category: 'ISO', thirdParty: 'true', periodFrom: '2020-01-01' }),
  );
  const portalDetail = await measure('portal detail', () => service.get(target.id, 'o-bench'));
  await measure('portal versions', () => service.getReportVersions(bench, { reportId: target.id }));

  // The obvious design: report items read in batches, then each report's newest version queried.
  const naiveList = await measure(
    'naive list (all reports + latest)',
    async () => {
      const items: Item[] = [];
      for (let start = 0; start < reports.length; start += 100) {
        items.push(...(await counting.batchGet(reports.slice(start, start + 100).map((r) => reportKeys.report(r.id)))));
      }
      const now = deps.clock.now();
      return Promise.all(
        items.map(async (item) => {
          const report = JSON.parse(String(item.data)) as Report;
          await counting.query(reportKeys.reportPartition(report.id), {
            skPrefix: reportKeys.versionPrefix,
            descending: true,
            limit: 1,
          });
          return reportView(report, now);
        }),
      );
    },
    naiveRounds,
  );
  const naiveDetail = await measure(
    'naive detail (report + versions)',
    async () => {
      await counting.get(reportKeys.report(target.id));
      await counting.query(reportKeys.reportPartition(target.id), { skPrefix: reportKeys.versionPrefix });
    },
    naiveRounds,
  );

  console.log(
    `ratio list calls naive/portal=${(naiveList.maxCalls / portalList.maxCalls).toFixed(0)}x ` +
      `(${naiveList.maxCalls} vs ${portalList.maxCalls}), list p50 naive/portal=${(naiveList.p50ms / portalList.p50ms).toFixed(1)}x`,
  );
  console.log(
    `ratio detail calls naive/portal=${(naiveDetail.maxCalls / portalDetail.maxCalls).toFixed(1)}x ` +
      `(${naiveDetail.maxCalls} vs ${portalDetail.maxCalls})`,
  );
  if (portalList.maxCalls > 2 || portalDetail.maxCalls > 2) {
    console.error('FAIL: a catalog request used more than 2 store calls');
    process.exitCode = 1;
  }
} finally {
  await stack.stop();
}
