import { principalForUser } from '../access/access-service.js';
import type { Authorizer, Principal, RequestContext } from '../access/principal.js';
import { agreementArn, ledgerArn, organizationArn, reportArn } from '../access/resources.js';
import { toUser } from '../identity/user-directory.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import { directoryKeys } from '../organization/directory-keys.js';
import type { Store } from '../ports/store.js';
import { reportKeys } from '../reports/report-keys.js';
import { type Report, reportVisibleTo } from '../reports/report-model.js';
import type { NotificationKind } from './notification-kinds.js';

/** Whether one subscriber may be told about one entry; `reason` is safe to show that subscriber. */
export type AccessVerdict = { allowed: true } | { allowed: false; reason: string };

/** What reading an entry's subject means: the question the read route asks, or why there is none. */
type ReadQuestion = { action: `portal:${string}`; resource: string; context?: RequestContext } | { refused: string };

type ReadRule = (entry: LedgerEntry, principal: Principal, access: DeliveryAccess) => Promise<ReadQuestion>;

function detailString(entry: LedgerEntry, name: string): string | undefined {
  const value = entry.details[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The id after `:<type>/` at the end of an ARN-like subject. */
function subjectId(subject: string, type: string): string | undefined {
  const marker = `:${type}/`;
  const at = subject.lastIndexOf(marker);
  const id = at < 0 ? '' : subject.slice(at + marker.length);
  return id !== '' && !id.includes('/') ? id : undefined;
}

const reportRead: ReadRule = async (entry, principal, access) => {
  const reportId = detailString(entry, 'reportId') ?? subjectId(entry.subject, 'report');
  if (!reportId) return { refused: 'the entry names no report' };
  const report = await access.report(reportId);
  if (!report || !reportVisibleTo(report, principal.orgId)) {
    return { refused: 'the report is not visible to the organization' };
  }
  // As GET /api/reports/{id} asks it (packages/api/src/routes/reports-schemas.ts, reportDecision).
  return {
    action: 'portal:GetReport',
    resource: reportArn(principal.orgId, report.id, principal.accountId),
    context: { 'portal:ReportCategory': report.category, 'portal:ReportSeries': report.series },
  };
};

const agreementRead: ReadRule = async (entry, principal) => {
  const agreementId = detailString(entry, 'agreementId') ?? subjectId(entry.subject, 'agreement');
  if (!agreementId) return { refused: 'the entry names no agreement' };
  // As GET /api/agreements/{id} declares it: agreementArn(orgId, id), org-level.
  return { action: 'portal:GetAgreement', resource: agreementArn(principal.orgId, agreementId) };
};

/**
 * The one place that says what "may read this entry's subject" means for each kind. A `Record` over
 * the kinds, so a new kind does not compile until it has a rule.
 */
const readRules: Record<NotificationKind, ReadRule> = {
  'report.published': reportRead,
  'agreement.revision': agreementRead,
  'agreement.accepted': agreementRead,
  'agreement.terminated': agreementRead,
  'coverage.lost': agreementRead,
  'export.finished': async (entry) => ({ action: 'portal:GetEvidenceBundle', resource: entry.subject }),
  'account.changed': async (entry) => ({
    action: 'portal:DescribeOrganization',
    resource: organizationArn(entry.orgId),
  }),
  // As GET /api/ledger/checkpoints and /api/ledger/verify declare them.
  'ledger.checkpoint': async (entry) => ({ action: 'portal:ReadLedger', resource: ledgerArn(entry.orgId) }),
  'ledger.integrity': async (entry) => ({ action: 'portal:VerifyLedger', resource: ledgerArn(entry.orgId) }),
};

/**
 * Asks the access module, before anything is delivered, whether the subscriber may still read what
 * the entry is about: the user's current policies, groups, grants and guardrails decide, as they
 * would for the read route. One instance per worker run: users, reports and verdicts are memoized
 * for that run only, so a revoked permission takes effect by the next run.
 */
export class DeliveryAccess {
  private readonly principals = new Map<string, Promise<Principal | undefined>>();
  private readonly reports = new Map<string, Promise<Report | undefined>>();
  private readonly verdicts = new Map<string, Promise<AccessVerdict>>();
  /** Many entries ask one user the same question (the same report, say): ask the authorizer once. */
  private readonly decisions = new Map<string, Promise<AccessVerdict>>();

  constructor(private readonly deps: { store: Store; authorizer: Authorizer }) {}

  mayReceive(userId: string, entry: LedgerEntry, kind: NotificationKind): Promise<AccessVerdict> {
    const key = `${entry.orgId}#${userId}#${entry.seq}#${kind}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = this.decide(userId, entry, kind);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** The current report item (memoized per run). */
  report(reportId: string): Promise<Report | undefined> {
    let report = this.reports.get(reportId);
    if (!report) {
      report = this.deps.store
        .get(reportKeys.report(reportId), { consistent: true })
        .then((item) => (item ? (JSON.parse(String(item.data)) as Report) : undefined));
      this.reports.set(reportId, report);
    }
    return report;
  }

  private principal(orgId: string, userId: string): Promise<Principal | undefined> {
    const key = `${orgId}#${userId}`;
    let principal = this.principals.get(key);
    if (!principal) {
      principal = this.deps.store.get(directoryKeys.user(orgId, userId), { consistent: true }).then((item) => {
        if (!item) return undefined;
        const user = toUser(item);
        if (user.status !== 'active') return undefined;
        // The session the user would read it in: MFA counts as present when the user has enrolled it.
        return principalForUser(user, { mfaPresent: user.mfaEnabled, sessionId: 'notification-delivery' });
      });
      this.principals.set(key, principal);
    }
    return principal;
  }

  private async decide(userId: string, entry: LedgerEntry, kind: NotificationKind): Promise<AccessVerdict> {
    const principal = await this.principal(entry.orgId, userId);
    if (!principal) return { allowed: false, reason: 'the subscriber is not an active member of the organization' };
    const question = await readRules[kind](entry, principal, this);
    if ('refused' in question) return { allowed: false, reason: question.refused };
    const key = JSON.stringify([principal.orgId, principal.userId, question]);
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.ask(principal, question);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  private async ask(
    principal: Principal,
    question: Exclude<ReadQuestion, { refused: string }>,
  ): Promise<AccessVerdict> {
    const decision = await this.deps.authorizer.authorize(
      principal,
      question.action,
      question.resource,
      question.context,
    );
    if (decision.decision === 'Allow') return { allowed: true };
    // The decision type only: the statement that decided names policies the subscriber may not see.
    return { allowed: false, reason: `access denied (${decision.decision} for ${question.action})` };
  }
}
