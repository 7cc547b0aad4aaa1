import type { ItemKey } from '../ports/store.js';

const pad = (n: number) => String(n).padStart(6, '0');

/**
 * Single-table layout of the reports module. Catalog objects are global; acceptances and downloads
 * carry the customer org in their key, so another org's id simply misses (404).
 */
export const reportKeys = {
  report: (reportId: string): ItemKey => ({ pk: `REPORT#${reportId}`, sk: 'REPORT' }),
  version: (reportId: string, version: number): ItemKey => ({
    pk: `REPORT#${reportId}`,
    sk: `VERSION#${pad(version)}`,
  }),
  versionPrefix: 'VERSION#',
  reportPartition: (reportId: string) => `REPORT#${reportId}`,
  catalogHead: (): ItemKey => ({ pk: 'REPORTCATALOG', sk: 'HEAD' }),
  catalogChunk: (chunk: number): ItemKey => ({ pk: 'REPORTCATALOG', sk: `CHUNK#${pad(chunk)}` }),
  terms: (revisionId: string): ItemKey => ({ pk: `REPORTTERMS#${revisionId}`, sk: 'REVISION' }),
  acceptance: (orgId: string, acceptanceId: string): ItemKey => ({
    pk: `REPORTACCEPTANCE#${orgId}#${acceptanceId}`,
    sk: 'ACCEPTANCE',
  }),
  /** gsi1: one principal's acceptances of one terms revision, by time. */
  acceptancesOf: (orgId: string, userId: string, revisionId: string) =>
    `REPORTACCEPTANCES#${orgId}#${userId}#${revisionId}`,
  termToken: (tokenHash: string): ItemKey => ({ pk: `REPORTTERMTOKEN#${tokenHash}`, sk: 'TOKEN' }),
  download: (orgId: string, downloadId: string): ItemKey => ({
    pk: `REPORTDOWNLOAD#${orgId}#${downloadId}`,
    sk: 'DOWNLOAD',
  }),
  /** gsi1: one principal's downloads, newest last. */
  downloadsOf: (orgId: string, userId: string) => `REPORTDOWNLOADS#${orgId}#${userId}`,
  /** A report's public alias (publicAlias('report', id)) -> its id. */
  alias: (alias: string): ItemKey => ({ pk: `REPORTALIAS#${alias}`, sk: 'ALIAS' }),
  publisher: (orgId: string): ItemKey => ({ pk: `REPORTPUBLISHER#${orgId}`, sk: 'GRANT' }),
};
