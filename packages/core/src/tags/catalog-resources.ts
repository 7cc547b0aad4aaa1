import type { Caller } from '../access/caller.js';
import { orgOf } from '../access/caller.js';
import { agreementArn, reportArn } from '../access/resources.js';
import { readAgreement, readCatalog } from '../agreements/agreement-catalog.js';
import type { Agreement } from '../agreements/agreement-records.js';
import { NotFoundError } from '../errors.js';
import type { Store } from '../ports/store.js';
import { publicAlias } from '../public-alias.js';
import type { Report } from '../reports/report-model.js';
import { reportConditionKeys } from '../reports/report-question.js';
import type { TaggableResource, TaggableResourceType } from './taggable-resources.js';

/** A NotFoundError means "unknown or invisible": the registry answers both alike. */
async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

const accountOf = (caller: Caller) => (caller.kind === 'principal' ? caller.principal.accountId : '');

/** How the reports module reads a report as an organization sees it (ReportService.get / ofAlias). */
export interface ReportLookup {
  get(reportId: string, orgId: string): Promise<Report>;
  ofAlias(alias: string, orgId: string): Promise<Report>;
}

/**
 * Catalog reports: visible when published (or to their publisher), the Artifact alias `report-…`; asked
 * about as `reportArn(org, id, caller's account)` with the report's category and series, as reading it is.
 */
export function reportTaggables(reports: ReportLookup): TaggableResourceType {
  const resource = (caller: Caller, report: Report): TaggableResource => ({
    type: 'report',
    id: report.id,
    arn: reportArn(orgOf(caller), report.id, accountOf(caller)),
    context: reportConditionKeys(report),
  });
  return {
    type: 'report',
    artifactType: 'report',
    async find(caller, id) {
      const report = await orUndefined(reports.get(id, orgOf(caller)));
      return report && resource(caller, report);
    },
    async findByAlias(caller, alias) {
      const report = await orUndefined(reports.ofAlias(alias, orgOf(caller)));
      return report && resource(caller, report);
    },
  };
}

/** Catalog agreements (the global catalog), the Artifact alias `agreement-…`; asked about as `agreementArn(org, id)`. */
export function agreementTaggables(store: Store): TaggableResourceType {
  const resource = (caller: Caller, agreement: Agreement): TaggableResource => ({
    type: 'agreement',
    id: agreement.agreementId,
    arn: agreementArn(orgOf(caller), agreement.agreementId),
    context: { 'portal:AgreementType': agreement.type },
  });
  return {
    type: 'agreement',
    artifactType: 'agreement',
    async find(caller, id) {
      const agreement = await orUndefined(readAgreement(store, id));
      return agreement && resource(caller, agreement);
    },
    async findByAlias(caller, alias) {
      const agreement = (await readCatalog(store)).find(
        (candidate) => publicAlias('agreement', candidate.agreementId) === alias,
      );
      return agreement && resource(caller, agreement);
    },
  };
}
