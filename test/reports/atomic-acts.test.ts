import {
  createLedger,
  DependencyUnavailableError,
  type LedgerEntry,
  systemCaller,
  systemClock,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { dynamoStore, type LedgerFaults, quickToGiveUp } from '../agreements/agreement-fixture.js';
import { createTestApp, freshTable } from '../support/app.js';
import { auditorA, operator, publishReport } from './report-fixtures.js';

/**
 * Report acts commit in the transaction of their ledger entry. The injected fault fails only DynamoDB
 * transactions that carry a ledger item, so a write made apart from the entry would still land.
 */
async function setup() {
  const faults: LedgerFaults = { armed: false, injected: 0 };
  const tableName = await freshTable();
  const store = dynamoStore(tableName, faults);
  const ledger = createLedger({ store, clock: systemClock, ...quickToGiveUp });
  const { deps } = await createTestApp({ tableName, overrides: { store, ledger } });
  async function actions(orgId: string): Promise<string[]> {
    const entries: LedgerEntry[] = [];
    for await (const entry of ledger.entries(orgId)) entries.push(entry);
    return entries.map((entry) => entry.action);
  }
  return { faults, ledger, reports: deps.reports, blobs: deps.blobs, actions };
}

const newReport = {
  name: 'Example Cloud SOC 2 Type II',
  description: 'Controls relevant to security.',
  category: 'SOC',
  series: 'SOC 2 Type II',
  company: 'Example Cloud',
  thirdParty: false,
};

describe('report acts and their ledger entries', () => {
  it('publishes terms and reports only together with their entries', async () => {
    const { faults, reports, blobs, actions } = await setup();
    await reports.grantPublisher({ orgId: operator.orgId, operator: true, companies: [] });

    faults.armed = true;
    await expect(
      reports.publishTerms(operator, { title: 'Terms', text: 'Keep it confidential.' }),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(reports.createReport(operator, newReport)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(faults.injected).toBeGreaterThan(0);
    expect((await reports.listReports(systemCaller(operator.orgId, 'test'), {})).items).toEqual([]);
    expect(await actions(operator.orgId)).toEqual([]);

    faults.armed = false;
    const published = await publishReport({ reports, blobs });

    expect((await reports.listReports(systemCaller(operator.orgId, 'test'), {})).items.map((r) => r.id)).toEqual([
      published.report.id,
    ]);
    expect(await actions(operator.orgId)).toEqual([
      'report:TermsPublished',
      'report:Created',
      'report:Published',
      'report:VersionPublished',
    ]);
  });

  it('keeps no acceptance and spends no term token when the entry cannot be recorded', async () => {
    const { faults, reports, blobs, actions } = await setup();
    const { report, version, terms } = await publishReport({ reports, blobs });
    const accept = () => reports.acceptTerms(auditorA, report.id, version.version, { revisionId: terms.revisionId });

    faults.armed = true;
    await expect(accept()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await reports.standingAcceptance(auditorA, terms)).toBeUndefined();

    faults.armed = false;
    const { termToken, acceptance } = await accept();
    faults.armed = true;
    await expect(reports.download(auditorA, report.id, version.version, termToken)).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect((await reports.myDownloads(auditorA, {})).items).toEqual([]);

    // The same token still yields its one download.
    faults.armed = false;
    const { record } = await reports.download(auditorA, report.id, version.version, termToken);

    expect(await reports.standingAcceptance(auditorA, terms)).toEqual(acceptance);
    expect((await reports.myDownloads(auditorA, {})).items).toEqual([record]);
    expect(await actions(auditorA.orgId)).toEqual(['report:TermsAccepted', 'report:Downloaded']);
  });
});
