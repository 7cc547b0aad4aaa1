import type { Caller } from '../access/caller.js';
import type { AuthorizationDecision, Authorizer, Principal, RequestContext } from '../access/principal.js';
import { deniedError, logDenial } from '../access/require-allowed.js';
import { reportArn } from '../access/resources.js';
import { commonErrors } from '../error-codes.js';
import type { Report } from './report-model.js';

/**
 * The reports module's data-dependent authorization question: `authorize` for the report's exact ARN
 * with its `portal:ReportCategory` and `portal:ReportSeries`, which policies may condition on. It is
 * asked after the report is read (a route gate cannot know the keys, and a missing key fails a
 * positive condition). System callers are trusted code and are not asked.
 */
export const reportConditionKeys = (report: Pick<Report, 'category' | 'series'>): RequestContext => ({
  'portal:ReportCategory': report.category,
  'portal:ReportSeries': report.series,
});

/**
 * The report's category and series as its ledger entries carry them (subscriptions, the ledger's
 * filters and the notification fan-out match on them), beside the keys policies condition on.
 */
export const reportEntryKeys = (report: Pick<Report, 'category' | 'series'>) => ({
  category: report.category,
  series: report.series,
});

export async function reportDecision(
  authorizer: Authorizer,
  caller: Caller,
  action: `portal:${string}`,
  report: Report,
): Promise<AuthorizationDecision['decision']> {
  if (caller.kind === 'system') return 'Allow';
  const { principal } = caller;
  const resource = reportArn(principal.orgId, report.id, principal.accountId);
  const decision = await authorizer.authorize(principal, action, resource, reportConditionKeys(report));
  if (decision.decision !== 'Allow') logDenial(caller, action, resource, decision);
  return decision.decision;
}

/** A denied act on a report the caller's organization can see is 403 (`explicit_deny` / `implicit_deny`). */
export async function requireReportAllowed(
  authorizer: Authorizer,
  caller: Caller,
  action: `portal:${string}`,
  report: Report,
): Promise<void> {
  const decision = await reportDecision(authorizer, caller, action, report);
  if (decision !== 'Allow') {
    throw deniedError(
      decision,
      `Not allowed to ${action} on report ${report.id} (${report.category}, ${report.series}).`,
    );
  }
}

/** Accepting terms and downloading are acts of a signed-in person, whose name the copy and the ledger carry. */
export function personOf(caller: Caller, act: string): Principal {
  if (caller.kind !== 'principal') throw commonErrors.error('forbidden', `${act} is an act of a signed-in person.`);
  return caller.principal;
}
