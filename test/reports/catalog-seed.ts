import {
  type IdGenerator,
  type Report,
  ReportCatalog,
  type ReportVersion,
  reportItem,
  type Store,
  versionItem,
} from '@evidence-portal/core';

const categories = [
  ['SOC', 'SOC 1 Type II'],
  ['SOC', 'SOC 2 Type II'],
  ['SOC', 'SOC 3'],
  ['ISO', 'ISO 27001'],
  ['ISO', 'ISO 27017'],
  ['ISO', 'ISO 27701'],
  ['PCI', 'PCI DSS v4.0'],
  ['FedRAMP', 'FedRAMP Moderate'],
  ['HITRUST', 'HITRUST r2'],
  ['CSA', 'CSA STAR Level 2'],
] as const;

/** A policy allowing to list and read the reports of one category only (the catalog's pushdown tests and bench). */
export const categoryReaderPolicy = (category: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['portal:ListReports', 'portal:GetReport'],
      Resource: '*',
      Condition: { StringEquals: { 'portal:ReportCategory': category } },
    },
  ],
});

/** A large catalog written straight to the store (bulk load, not the publishing flow): `versions` in total. */
export async function seedLargeCatalog(
  store: Store,
  ids: IdGenerator,
  options: { versions: number; versionsPerReport: number; concurrency?: number },
): Promise<Report[]> {
  const reportCount = Math.ceil(options.versions / options.versionsPerReport);
  const reports: Report[] = [];
  const versions: ReportVersion[] = [];
  for (let r = 0; r < reportCount; r++) {
    const [category, series] = categories[r % categories.length] ?? categories[0];
    const id = `rpt-${String(r).padStart(6, '0')}${ids.newId().toLowerCase().slice(-8)}`;
    const count = Math.min(options.versionsPerReport, options.versions - r * options.versionsPerReport);
    const periods: Array<[string, string]> = [];
    for (let v = 1; v <= count; v++) {
      const year = 2026 - count + v;
      const version: ReportVersion = {
        reportId: id,
        version: v,
        periodStart: `${year - 1}-07-01`,
        periodEnd: `${year}-06-30`,
        effectiveDate: `${year}-08-01`,
        termsRevisionId: 'tr-bulk',
        acceptanceType: 'EXPLICIT',
        uploadState: 'COMPLETE',
        statusMessage: 'Validated and published.',
        fileKey: `originals/${id}/${v}/bulk.pdf`,
        sha256: '0'.repeat(64),
        size: 1000,
        pageCount: 40,
        createdAt: `${year}-08-01T00:00:00.000Z`,
        uploadedAt: `${year}-08-01T00:00:00.000Z`,
        sequence: 2,
      };
      versions.push(version);
      periods.push([version.periodStart, version.periodEnd]);
    }
    const latest = versions.at(-1);
    reports.push({
      id,
      name: `Vendor ${r} ${series} report`,
      description: `Independent assessment of vendor ${r} against ${series} criteria (security, availability, confidentiality).`,
      category,
      series,
      company: `Vendor ${r % 50}`,
      thirdParty: r % 3 === 0,
      state: 'PUBLISHED',
      publisherOrgId: 'o-operator',
      sequence: count + 1,
      versionCount: count,
      ...(latest
        ? {
            latest: {
              version: latest.version,
              periodStart: latest.periodStart,
              periodEnd: latest.periodEnd,
              effectiveDate: latest.effectiveDate,
              acceptanceType: latest.acceptanceType,
              termsRevisionId: latest.termsRevisionId,
              pageCount: 40,
              publishedAt: latest.createdAt,
            },
          }
        : {}),
      periods,
      createdAt: '2020-01-01T00:00:00.000Z',
      updatedAt: latest?.createdAt ?? '2020-01-01T00:00:00.000Z',
    });
  }
  const chunks = await new ReportCatalog(store, ids).rebuild(reports);
  const items = [
    ...reports.map((report) => reportItem(report, chunks.get(report.id) ?? 0)),
    ...versions.map((version) => versionItem(version)),
  ];
  const concurrency = options.concurrency ?? 32;
  for (let start = 0; start < items.length; start += concurrency) {
    await Promise.all(items.slice(start, start + concurrency).map((item) => store.put(item)));
  }
  return reports;
}
