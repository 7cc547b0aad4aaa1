import { reportArn, reportTermsArn } from '../access/resources.js';
import {
  ConditionFailedError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransactionConflictError,
  ValidationError,
} from '../errors.js';
import type { LedgerAppendInput } from '../ledger/ledger-writer.js';
import type { WriteOp } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { publisherGrantItem } from './publisher-grants.js';
import { reportAliasOp } from './report-aliases.js';
import { maxWriteAttempts, type ReportActor, type ReportDeps, reportActorOf } from './report-deps.js';
import { reportKeys } from './report-keys.js';
import type { PublisherGrant, Report, ReportState, TermsRevision } from './report-model.js';
import { reportEntryKeys } from './report-question.js';
import { type NewReport, parseRecord as parse, reportItem, staleReport } from './report-records.js';

/** Publishing to the global catalog: grants, terms revisions, reports (optimistic locking on `sequence`). */

export async function grantPublisher(deps: ReportDeps, grant: PublisherGrant): Promise<void> {
  await deps.store.put(publisherGrantItem(grant));
}

export async function requirePublisher(deps: ReportDeps, orgId: string, company?: string): Promise<PublisherGrant> {
  const grant = parse<PublisherGrant>(await deps.store.get(reportKeys.publisher(orgId)));
  if (!grant) throw new ForbiddenError('This organization holds no publisher grant.', 'not_a_publisher');
  if (company !== undefined && !grant.operator && !grant.companies.includes(company)) {
    throw new ForbiddenError(
      `This organization may publish reports of ${grant.companies.join(', ') || 'no company'} only.`,
      'not_a_publisher',
    );
  }
  return grant;
}

export async function publishTerms(
  deps: ReportDeps,
  actor: ReportActor,
  input: { title: string; text: string; reacceptAfterDays?: number },
): Promise<TermsRevision> {
  await requirePublisher(deps, actor.orgId);
  const terms: TermsRevision = {
    revisionId: `tr-${deps.ids.newId()}`,
    title: input.title,
    text: input.text,
    sha256: sha256Hex(input.text),
    ...(input.reacceptAfterDays !== undefined ? { reacceptAfterDays: input.reacceptAfterDays } : {}),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.ledger.append({
    orgId: actor.orgId,
    actor: reportActorOf(actor),
    action: 'report:TermsPublished',
    subject: reportTermsArn(actor.orgId, terms.revisionId, actor.accountId),
    details: { revisionId: terms.revisionId, sha256: terms.sha256, title: terms.title },
    alsoWrite: [
      {
        kind: 'put',
        item: { ...reportKeys.terms(terms.revisionId), data: JSON.stringify(terms) },
        condition: { kind: 'notExists' },
      },
    ],
  });
  return terms;
}

/** Only the publishing org may change a report; to others it does not exist. */
export async function ownReport(
  deps: ReportDeps,
  actor: ReportActor,
  reportId: string,
): Promise<{ report: Report; chunk: number | undefined }> {
  const item = await deps.store.get(reportKeys.report(reportId), { consistent: true });
  const report = parse<Report>(item);
  if (!item || !report || (report.publisherOrgId !== actor.orgId && report.state !== 'PUBLISHED')) {
    throw new NotFoundError(`No report ${reportId}.`);
  }
  if (report.publisherOrgId !== actor.orgId) {
    throw new ForbiddenError('Only the publishing organization may change this report.', 'not_the_publisher');
  }
  return { report, chunk: typeof item.catalogChunk === 'number' ? item.catalogChunk : undefined };
}

/**
 * Writes a report item (conditioned on the sequence read) together with its catalog chunk and any
 * extra operations, retrying only when a concurrent publish of another report moved the catalog.
 * With `entry`, the writes commit in the same transaction as that ledger entry.
 */
export async function writeReport(
  deps: ReportDeps,
  next: Report,
  previousSequence: number | undefined,
  chunk: number | undefined,
  extra: WriteOp[] = [],
  entry?: LedgerAppendInput,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const catalog = await deps.catalog.upsertOps(next, chunk);
    const ops: WriteOp[] = [
      {
        kind: 'put',
        item: reportItem(next, catalog.chunk),
        condition:
          previousSequence === undefined
            ? { kind: 'notExists' }
            : { kind: 'equals', attribute: 'sequence', value: previousSequence },
      },
      ...extra,
      ...catalog.ops,
    ];
    try {
      if (entry) await deps.ledger.append({ ...entry, alsoWrite: ops });
      else await deps.store.transact(ops);
      return;
    } catch (error) {
      if (!(error instanceof ConditionFailedError || error instanceof TransactionConflictError)) throw error;
      const current = await deps.store.get(reportKeys.report(next.id), { consistent: true });
      const stale = previousSequence === undefined ? current !== undefined : current?.sequence !== previousSequence;
      if (stale) throw staleReport(next.id);
      if (attempt >= maxWriteAttempts)
        throw new ConflictError('The catalog is busy; retry the request.', 'catalog_busy');
    }
  }
}

export async function createReport(deps: ReportDeps, actor: ReportActor, input: NewReport): Promise<Report> {
  const grant = await requirePublisher(deps, actor.orgId, input.company);
  if (input.thirdParty === false && !grant.operator) {
    throw new ValidationError('Vendor reports are third-party reports', [
      { path: 'body.thirdParty', message: 'must be true for a vendor publisher' },
    ]);
  }
  const now = deps.clock.now().toISOString();
  const report: Report = {
    id: `rpt-${deps.ids.newId().toLowerCase()}`,
    ...input,
    state: input.state ?? 'PUBLISHED',
    publisherOrgId: actor.orgId,
    sequence: 1,
    versionCount: 0,
    periods: [],
    createdAt: now,
    updatedAt: now,
  };
  await writeReport(deps, report, undefined, undefined, [reportAliasOp(report.id)], {
    orgId: actor.orgId,
    actor: reportActorOf(actor),
    action: 'report:Created',
    subject: reportArn(actor.orgId, report.id, actor.accountId),
    details: { ...reportEntryKeys(report), reportId: report.id, name: report.name },
  });
  return report;
}

export async function updateReport(
  deps: ReportDeps,
  actor: ReportActor,
  reportId: string,
  input: { expectedSequence: number; name?: string; description?: string; state?: ReportState },
): Promise<Report> {
  const { report, chunk } = await ownReport(deps, actor, reportId);
  if (report.sequence !== input.expectedSequence) throw staleReport(reportId);
  const next: Report = {
    ...report,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.state !== undefined ? { state: input.state } : {}),
    sequence: report.sequence + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  await writeReport(deps, next, report.sequence, chunk, [], {
    orgId: actor.orgId,
    actor: reportActorOf(actor),
    action: 'report:Updated',
    subject: reportArn(actor.orgId, reportId, actor.accountId),
    details: { category: next.category, series: next.series, reportId, state: next.state },
  });
  return next;
}
