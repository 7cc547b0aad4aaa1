import { actorOf } from '../access/actor.js';
import type { Principal } from '../access/principal.js';
import { agreementArn } from '../access/resources.js';
import {
  ConditionFailedError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransactionConflictError,
  ValidationError,
} from '../errors.js';
import type { LedgerActor, LedgerEntry, LedgerWriter } from '../ledger/ledger-writer.js';
import { queryAll } from '../ports/query-all.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { Item, ItemValue, Store, WriteOp } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { agreementKeys } from './agreement-keys.js';
import {
  type AcceptanceRecord,
  type AcceptanceTarget,
  type AcceptanceView,
  type Agreement,
  type AgreementType,
  agreementTypes,
  type RevisionSummary,
  revisionFacts,
  targetFacts,
  toAcceptanceRecord,
  toAgreement,
  toRevisionSummaries,
  toTarget,
} from './agreement-records.js';
import {
  type AcceptanceScope,
  type Coverage,
  type CoverageFacts,
  effectiveCoverage,
  type MembershipInterval,
} from './effective-coverage.js';
import type { MembershipHistory } from './membership-history.js';

export interface AgreementDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerWriter;
  membership: MembershipHistory;
}

/** Where a request came from, recorded with an acceptance. */
export interface RequestOrigin {
  sourceIp?: string;
  userAgent?: string;
}

export interface ScopeTarget {
  scope: AcceptanceScope;
  accountId?: string;
}

export interface CoverageMatrix {
  at: string;
  agreements: Array<{ agreementId: string; name: string; type: AgreementType }>;
  accounts: Array<{
    accountId: string;
    coverage: Record<
      string,
      { covered: boolean; via?: 'account' | 'organization'; since?: string; revisionId?: string }
    >;
  }>;
}

const maxAttempts = 8;
const accountIdPattern = /^\d{12}$/;

const raced = (error: unknown) => error instanceof ConditionFailedError || error instanceof TransactionConflictError;

function targetItem(orgId: string, target: AcceptanceTarget): Item {
  const key =
    target.scope === 'organization'
      ? agreementKeys.orgTarget(orgId, target.agreementId)
      : agreementKeys.accountTarget(orgId, target.agreementId, target.accountId ?? '');
  return {
    ...key,
    type: 'AgreementTarget',
    orgId,
    agreementId: target.agreementId,
    scope: target.scope,
    ...(target.accountId ? { accountId: target.accountId } : {}),
    version: target.version,
    history: target.history.map((entry) => ({ ...entry }) as { [key: string]: ItemValue }),
    // Sparse index of targets with an active acceptance: who to tell about a new revision.
    ...(target.activeAcceptanceId
      ? {
          activeAcceptanceId: target.activeAcceptanceId,
          activeRevisionId: target.activeRevisionId ?? '',
          gsi2pk: agreementKeys.acceptorsIndex(target.agreementId),
          gsi2sk: `${orgId}#${key.sk}`,
        }
      : {}),
  };
}

/**
 * Agreements: the global catalog (publish, revisions, NDA step) and each organization's acceptances,
 * terminations and coverage. Writes keep one active acceptance per target with a conditional
 * transaction on the target item; records are never overwritten, and every act is a ledger entry.
 */
export class AgreementService {
  constructor(private readonly deps: AgreementDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  // ---- catalog -------------------------------------------------------------------------------

  async createAgreement(
    input: {
      name: string;
      type: AgreementType;
      description?: string;
      subjects: AcceptanceScope[];
      ndaText?: string;
      agreementId?: string;
    },
    publisher: { orgId: string; actor: LedgerActor },
  ): Promise<Agreement> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) {
      throw new ValidationError('Invalid agreement', [{ path: 'name', message: 'must be 1 to 200 characters' }]);
    }
    if (!agreementTypes.includes(input.type)) {
      throw new ValidationError('Invalid agreement', [
        { path: 'type', message: `one of ${agreementTypes.join(', ')}` },
      ]);
    }
    const subjects = [...new Set(input.subjects)];
    if (subjects.length === 0) {
      throw new ValidationError('Invalid agreement', [{ path: 'subjects', message: 'name at least one subject' }]);
    }
    const agreementId = input.agreementId ?? `agr-${this.deps.ids.newId().toLowerCase()}`;
    const now = this.now();
    const item: Item = {
      ...agreementKeys.agreement(agreementId),
      type: 'Agreement',
      agreementId,
      name,
      agreementType: input.type,
      description: input.description ?? '',
      subjects,
      revisions: [],
      createdAt: now,
      publisherOrgId: publisher.orgId,
      gsi1pk: agreementKeys.catalogIndex,
      gsi1sk: `${name.toLowerCase()}#${agreementId}`,
      ...(input.ndaText ? { ndaText: input.ndaText, ndaSha256: sha256Hex(input.ndaText) } : {}),
    };
    try {
      await this.deps.ledger.append({
        orgId: publisher.orgId,
        actor: publisher.actor,
        action: 'agreement:Created',
        subject: agreementArn(publisher.orgId, agreementId),
        details: { agreementId, name, type: input.type, at: now },
        alsoWrite: [{ kind: 'put', item, condition: { kind: 'notExists' } }],
      });
    } catch (error) {
      if (error instanceof ConditionFailedError)
        throw new ConflictError('That agreement id is taken.', 'agreement_exists');
      throw error;
    }
    return toAgreement(item);
  }

  /**
   * Publishes a new revision: it becomes the one to accept at once. Existing acceptances stay in force
   * but are "revision outdated" from now on (derived, not rewritten), and every organization with an
   * active acceptance gets an `agreement:RevisionPublished` entry (its notifications derive from it).
   */
  async publishRevision(
    agreementId: string,
    input: { effectiveDate: string; markdown?: string; pdf?: { blobKey: string; sha256: string } },
    publisher: { orgId: string; actor: LedgerActor },
  ): Promise<RevisionSummary> {
    if ((input.markdown === undefined) === (input.pdf === undefined)) {
      throw new ValidationError('Invalid revision', [
        { path: 'markdown', message: 'give exactly one of markdown or pdf' },
      ]);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.effectiveDate) || Number.isNaN(Date.parse(input.effectiveDate))) {
      throw new ValidationError('Invalid revision', [
        { path: 'effectiveDate', message: 'must be a date (YYYY-MM-DD)' },
      ]);
    }
    if (input.pdf && !/^[0-9a-f]{64}$/.test(input.pdf.sha256)) {
      throw new ValidationError('Invalid revision', [
        { path: 'pdf.sha256', message: 'must be 64 lowercase hex digits' },
      ]);
    }
    for (let attempt = 0; ; attempt++) {
      const current = await this.deps.store.get(agreementKeys.agreement(agreementId), { consistent: true });
      if (!current) throw new NotFoundError('No such agreement.');
      const revisions = toRevisionSummaries(current.revisions);
      const revision: RevisionSummary = {
        revisionId: `rev-${this.deps.ids.newId().toLowerCase()}`,
        sha256: input.pdf ? input.pdf.sha256 : sha256Hex(input.markdown ?? ''),
        effectiveDate: input.effectiveDate,
        publishedAt: this.now(),
        format: input.pdf ? 'pdf' : 'markdown',
      };
      const previous = revisions.at(-1);
      try {
        await this.deps.ledger.append({
          orgId: publisher.orgId,
          actor: publisher.actor,
          action: 'agreement:RevisionPublished',
          subject: agreementArn(publisher.orgId, agreementId),
          details: {
            agreementId,
            revisionId: revision.revisionId,
            sha256: revision.sha256,
            effectiveDate: revision.effectiveDate,
          },
          alsoWrite: [
            {
              kind: 'put',
              item: {
                ...agreementKeys.revision(agreementId, revision.revisionId),
                type: 'AgreementRevision',
                agreementId,
                ...revision,
                ...(input.pdf ? { blobKey: input.pdf.blobKey } : { markdown: input.markdown ?? '' }),
              },
              condition: { kind: 'notExists' },
            },
            {
              kind: 'put',
              item: {
                ...current,
                revisions: [...revisions, revision].map((r) => ({ ...r })),
                revisionCount: revisions.length + 1,
              },
              condition:
                current.revisionCount === undefined
                  ? { kind: 'exists' }
                  : { kind: 'equals', attribute: 'revisionCount', value: revisions.length },
            },
          ],
        });
      } catch (error) {
        if (raced(error) && attempt < maxAttempts) continue;
        throw error;
      }
      if (previous) await this.notifyAcceptors(agreementId, revision, previous.revisionId);
      return revision;
    }
  }

  /** One entry per organization with an active acceptance (a fan-out over organizations, never over accounts). */
  private async notifyAcceptors(agreementId: string, revision: RevisionSummary, previousRevisionId: string) {
    const targets = await queryAll(this.deps.store, agreementKeys.acceptorsIndex(agreementId), { index: 'gsi2' });
    const byOrg = new Map<string, Item[]>();
    for (const item of targets) {
      const orgId = String(item.orgId);
      byOrg.set(orgId, [...(byOrg.get(orgId) ?? []), item]);
    }
    for (const [orgId, items] of byOrg) {
      await this.deps.ledger.append({
        orgId,
        actor: { type: 'system', id: 'agreements' },
        action: 'agreement:RevisionPublished',
        subject: agreementArn(orgId, agreementId),
        details: {
          agreementId,
          revisionId: revision.revisionId,
          previousRevisionId,
          sha256: revision.sha256,
          effectiveDate: revision.effectiveDate,
          outdatedAcceptances: items.map((item) => ({
            acceptanceId: String(item.activeAcceptanceId),
            scope: String(item.scope),
            ...(typeof item.accountId === 'string' ? { accountId: item.accountId } : {}),
          })),
        },
        requestToken: `agreement-revision#${revision.revisionId}`,
      });
    }
  }

  async list(): Promise<Agreement[]> {
    const items = await queryAll(this.deps.store, agreementKeys.catalogIndex, { index: 'gsi1' });
    return items.map(toAgreement);
  }

  async get(agreementId: string): Promise<Agreement> {
    const item = await this.deps.store.get(agreementKeys.agreement(agreementId));
    if (!item) throw new NotFoundError('No such agreement.');
    return toAgreement(item);
  }

  /** The NDA click-through some agreements put before their text (Artifact's GetNdaForAgreement). */
  async nda(
    agreementId: string,
    principal: Principal,
  ): Promise<{ required: boolean; text?: string; sha256?: string; acceptedAt?: string }> {
    const [agreement, accepted] = await Promise.all([
      this.deps.store.get(agreementKeys.agreement(agreementId)),
      this.deps.store.get(agreementKeys.ndaAcceptance(principal.orgId, agreementId, principal.userId)),
    ]);
    if (!agreement) throw new NotFoundError('No such agreement.');
    if (typeof agreement.ndaText !== 'string') return { required: false };
    return {
      required: true,
      text: agreement.ndaText,
      sha256: String(agreement.ndaSha256),
      ...(typeof accepted?.acceptedAt === 'string' ? { acceptedAt: accepted.acceptedAt } : {}),
    };
  }

  async acceptNda(
    agreementId: string,
    sha256: string,
    principal: Principal,
    origin: RequestOrigin = {},
  ): Promise<{ acceptedAt: string }> {
    const nda = await this.nda(agreementId, principal);
    if (!nda.required) throw new ConflictError('This agreement has no NDA step.', 'nda_not_required');
    if (nda.acceptedAt) return { acceptedAt: nda.acceptedAt };
    if (nda.sha256 !== sha256) throw new ConflictError('That is not the current NDA text.', 'nda_outdated');
    const acceptedAt = this.now();
    try {
      await this.deps.ledger.append({
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: 'agreement:NdaAccepted',
        subject: agreementArn(principal.orgId, agreementId),
        accountId: principal.accountId,
        details: { agreementId, sha256, at: acceptedAt, ...origin },
        alsoWrite: [
          {
            kind: 'put',
            item: {
              ...agreementKeys.ndaAcceptance(principal.orgId, agreementId, principal.userId),
              type: 'AgreementNdaAcceptance',
              agreementId,
              userId: principal.userId,
              sha256,
              acceptedAt,
              ...origin,
            },
            condition: { kind: 'notExists' },
          },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionFailedError)
        return { acceptedAt: (await this.nda(agreementId, principal)).acceptedAt ?? acceptedAt };
      throw error;
    }
    return { acceptedAt };
  }

  /** A revision's text; behind the NDA step when the agreement has one. */
  async revisionText(
    agreementId: string,
    revisionId: string,
    principal: Principal,
  ): Promise<RevisionSummary & { markdown?: string; blobKey?: string }> {
    const nda = await this.nda(agreementId, principal);
    if (nda.required && !nda.acceptedAt) {
      throw new ForbiddenError('Accept this agreement\u2019s NDA first (GET then POST its /nda).', 'nda_required');
    }
    const item = await this.deps.store.get(agreementKeys.revision(agreementId, revisionId));
    if (!item) throw new NotFoundError('No such revision.');
    const [summary] = toRevisionSummaries([item as unknown as ItemValue]);
    return {
      ...(summary as RevisionSummary),
      ...(typeof item.markdown === 'string' ? { markdown: item.markdown } : {}),
      ...(typeof item.blobKey === 'string' ? { blobKey: item.blobKey } : {}),
    };
  }

  // ---- acceptances ---------------------------------------------------------------------------

  private targetKey(orgId: string, agreementId: string, target: ScopeTarget) {
    return target.scope === 'organization'
      ? agreementKeys.orgTarget(orgId, agreementId)
      : agreementKeys.accountTarget(orgId, agreementId, target.accountId ?? '');
  }

  private async readTarget(orgId: string, agreementId: string, target: ScopeTarget): Promise<AcceptanceTarget> {
    const item = await this.deps.store.get(this.targetKey(orgId, agreementId, target), { consistent: true });
    return toTarget(item, {
      agreementId,
      scope: target.scope,
      ...(target.accountId ? { accountId: target.accountId } : {}),
    });
  }

  /**
   * The rules every acceptance and termination share: MFA, org scope only from the management account,
   * account scope only for an account of the caller's organization. Returns the resolved target.
   */
  private async checkActor(
    principal: Principal,
    agreement: Agreement,
    input: ScopeTarget,
    verb: string,
  ): Promise<ScopeTarget> {
    if (!principal.mfaPresent) {
      throw new ForbiddenError(
        `${verb} an agreement needs a session that passed MFA; sign in again with your MFA code.`,
        'mfa_required',
      );
    }
    if (!agreement.subjects.includes(input.scope)) {
      throw new ValidationError('Invalid scope', [
        { path: 'scope', message: `this agreement is accepted by: ${agreement.subjects.join(', ')}` },
      ]);
    }
    if (input.scope === 'organization') {
      if (input.accountId !== undefined) {
        throw new ValidationError('Invalid scope', [{ path: 'accountId', message: 'omit it for organization scope' }]);
      }
      const management = await this.deps.membership.managementAccountId(principal.orgId);
      if (management === undefined || management !== principal.accountId) {
        throw new ForbiddenError(
          `${verb} for the whole organization is reserved to principals of the management account; ${principal.accountId} is a member account.`,
          'management_account_required',
        );
      }
      return { scope: 'organization' };
    }
    const accountId = input.accountId ?? principal.accountId;
    if (!accountIdPattern.test(accountId)) {
      throw new ValidationError('Invalid account', [{ path: 'accountId', message: 'must be 12 digits' }]);
    }
    const intervals = await this.deps.membership.intervals(principal.orgId, accountId);
    if (!intervals.some((interval) => interval.leftAt === undefined)) throw new NotFoundError('No such account.');
    return { scope: 'account', accountId };
  }

  async accept(
    agreementId: string,
    input: ScopeTarget & { revisionId: string },
    principal: Principal,
    origin: RequestOrigin = {},
  ): Promise<AcceptanceView> {
    const agreement = await this.get(agreementId);
    const target = await this.checkActor(principal, agreement, input, 'Accepting');
    const latest = agreement.latestRevision;
    if (!latest || latest.revisionId !== input.revisionId) {
      throw new ConflictError(
        latest
          ? `Revision ${input.revisionId} is not the latest; accept ${latest.revisionId} (sha256 ${latest.sha256}).`
          : 'This agreement has no published revision yet.',
        'revision_not_latest',
      );
    }
    const orgId = principal.orgId;
    for (let attempt = 0; ; attempt++) {
      const state = await this.readTarget(orgId, agreementId, target);
      if (state.activeAcceptanceId && state.activeRevisionId === latest.revisionId) {
        throw new ConflictError(
          `Already accepted (acceptance ${state.activeAcceptanceId}); terminate it first to accept again.`,
          'already_accepted',
        );
      }
      const acceptedAt = this.now();
      const record: AcceptanceRecord = {
        acceptanceId: `acc-${this.deps.ids.newId().toLowerCase()}`,
        orgId,
        agreementId,
        scope: target.scope,
        ...(target.accountId ? { accountId: target.accountId } : {}),
        revisionId: latest.revisionId,
        sha256: latest.sha256,
        acceptedAt,
        acceptedBy: {
          userId: principal.userId,
          email: principal.email,
          accountId: principal.accountId,
          ...(principal.role ? { role: principal.role.name } : {}),
        },
        ...origin,
      };
      // A re-acceptance (of a newer revision) supersedes the active one; the old record stays.
      const next: AcceptanceTarget = {
        ...state,
        version: state.version + 1,
        activeAcceptanceId: record.acceptanceId,
        activeRevisionId: record.revisionId,
        history: [
          ...state.history.map((entry) =>
            entry.acceptanceId === state.activeAcceptanceId
              ? { ...entry, endedAt: acceptedAt, endReason: 'superseded' as const }
              : entry,
          ),
          { acceptanceId: record.acceptanceId, revisionId: record.revisionId, acceptedAt },
        ],
      };
      const ops: WriteOp[] = [
        {
          kind: 'put',
          item: {
            ...agreementKeys.acceptance(orgId, record.acceptanceId),
            type: 'AgreementAcceptance',
            ...(record as unknown as Record<string, ItemValue>),
            gsi1pk: agreementKeys.historyIndex(orgId, agreementId),
            gsi1sk: `${acceptedAt}#${record.acceptanceId}`,
          },
          condition: { kind: 'notExists' },
        },
        {
          kind: 'put',
          item: targetItem(orgId, next),
          condition:
            state.version === 0
              ? { kind: 'notExists' }
              : { kind: 'equals', attribute: 'version', value: state.version },
        },
      ];
      try {
        await this.deps.ledger.append({
          orgId,
          actor: actorOf(principal),
          action: 'agreement:Accepted',
          subject: agreementArn(orgId, agreementId, target.accountId),
          ...(target.accountId ? { accountId: target.accountId } : {}),
          details: {
            acceptanceId: record.acceptanceId,
            agreementId,
            scope: target.scope,
            revisionId: record.revisionId,
            sha256: record.sha256,
            at: acceptedAt,
            ...(state.activeAcceptanceId ? { supersedes: state.activeAcceptanceId } : {}),
            ...origin,
          },
          requestToken: `agreement-acceptance#${record.acceptanceId}`,
          alsoWrite: ops,
        });
      } catch (error) {
        if (raced(error) && attempt < maxAttempts) continue;
        if (raced(error)) throw new ConflictError('The acceptance changed concurrently; retry.', 'concurrent_change');
        throw error;
      }
      return { ...record, status: 'active', revisionOutdated: false, latestRevisionId: latest.revisionId };
    }
  }

  async terminate(
    agreementId: string,
    input: ScopeTarget,
    principal: Principal,
    origin: RequestOrigin = {},
  ): Promise<{ acceptanceId: string; terminatedAt: string }> {
    const agreement = await this.get(agreementId);
    const target = await this.checkActor(principal, agreement, input, 'Terminating');
    const orgId = principal.orgId;
    for (let attempt = 0; ; attempt++) {
      const state = await this.readTarget(orgId, agreementId, target);
      const acceptanceId = state.activeAcceptanceId;
      if (!acceptanceId) throw new ConflictError('There is no active acceptance to terminate.', 'not_accepted');
      const terminatedAt = this.now();
      const next: AcceptanceTarget = {
        agreementId: state.agreementId,
        scope: state.scope,
        ...(state.accountId ? { accountId: state.accountId } : {}),
        version: state.version + 1,
        history: state.history.map((entry) =>
          entry.acceptanceId === acceptanceId
            ? { ...entry, endedAt: terminatedAt, endReason: 'terminated' as const }
            : entry,
        ),
      };
      const actor = actorOf(principal);
      let entry: LedgerEntry;
      try {
        entry = await this.deps.ledger.append({
          orgId,
          actor,
          action: 'agreement:Terminated',
          subject: agreementArn(orgId, agreementId, target.accountId),
          ...(target.accountId ? { accountId: target.accountId } : {}),
          details: { acceptanceId, agreementId, scope: target.scope, at: terminatedAt, ...origin },
          requestToken: `agreement-termination#${acceptanceId}`,
          alsoWrite: [
            {
              kind: 'put',
              item: {
                ...agreementKeys.termination(orgId, acceptanceId),
                type: 'AgreementTermination',
                orgId,
                agreementId,
                acceptanceId,
                terminatedAt,
                terminatedBy: { userId: principal.userId, email: principal.email, accountId: principal.accountId },
                ...origin,
                gsi1pk: agreementKeys.historyIndex(orgId, agreementId),
                gsi1sk: `${terminatedAt}#TERMINATION#${acceptanceId}`,
              },
              condition: { kind: 'notExists' },
            },
            {
              kind: 'put',
              item: targetItem(orgId, next),
              condition: { kind: 'equals', attribute: 'version', value: state.version },
            },
          ],
        });
      } catch (error) {
        if (raced(error) && attempt < maxAttempts) continue;
        if (raced(error)) throw new ConflictError('The acceptance changed concurrently; retry.', 'concurrent_change');
        throw error;
      }
      // The token names the acceptance, so a concurrent termination by someone else answers with its
      // entry (a replay) and our writes never ran: re-read, as a lost race did before.
      if (entry.actor.id !== actor.id || entry.details.at !== terminatedAt) continue;
      return { acceptanceId, terminatedAt };
    }
  }

  /**
   * Every acceptance of the agreement by the organization, newest first, with its status: one listing
   * of the agreement's history index (acceptance and termination records), however many accounts.
   */
  async history(orgId: string, agreementId: string): Promise<AcceptanceView[]> {
    const [agreement, items] = await Promise.all([
      this.get(agreementId),
      queryAll(this.deps.store, agreementKeys.historyIndex(orgId, agreementId), { index: 'gsi1' }),
    ]);
    const records = items.filter((item) => item.type === 'AgreementAcceptance').map(toAcceptanceRecord);
    const ends = new Map<string, { endedAt: string; endReason: 'terminated' | 'superseded' }>();
    for (const item of items) {
      if (item.type === 'AgreementTermination' && typeof item.terminatedAt === 'string') {
        ends.set(String(item.acceptanceId), { endedAt: item.terminatedAt, endReason: 'terminated' });
      }
    }
    // A later acceptance of the same target supersedes an earlier one still in force (records sort by time).
    const latestByTarget = new Map<string, AcceptanceRecord>();
    for (const record of records) {
      const target = `${record.scope}#${record.accountId ?? ''}`;
      const previous = latestByTarget.get(target);
      if (previous && !ends.has(previous.acceptanceId)) {
        ends.set(previous.acceptanceId, { endedAt: record.acceptedAt, endReason: 'superseded' });
      }
      latestByTarget.set(target, record);
    }
    return records.map((record) => this.view(record, agreement, ends.get(record.acceptanceId))).reverse();
  }

  /** One acceptance of the caller's organization; another organization's id answers 404. */
  async acceptance(orgId: string, agreementId: string, acceptanceId: string): Promise<AcceptanceView> {
    const item = await this.deps.store.get(agreementKeys.acceptance(orgId, acceptanceId));
    if (!item || item.agreementId !== agreementId) throw new NotFoundError('No such acceptance.');
    const record = toAcceptanceRecord(item);
    const [agreement, target] = await Promise.all([this.get(agreementId), this.readTarget(orgId, agreementId, record)]);
    return this.view(
      record,
      agreement,
      target.history.find((entry) => entry.acceptanceId === acceptanceId),
    );
  }

  private view(
    record: AcceptanceRecord,
    agreement: Agreement,
    entry: { endedAt?: string; endReason?: 'terminated' | 'superseded' } | undefined,
  ): AcceptanceView {
    const latest = agreement.latestRevision?.revisionId;
    return {
      ...record,
      status: entry?.endedAt ? (entry.endReason ?? 'terminated') : 'active',
      ...(entry?.endedAt ? { endedAt: entry.endedAt } : {}),
      revisionOutdated: latest !== undefined && latest !== record.revisionId,
      ...(latest ? { latestRevisionId: latest } : {}),
    };
  }

  private async targets(orgId: string, prefix = 'TARGET#'): Promise<AcceptanceTarget[]> {
    const items = await queryAll(this.deps.store, agreementKeys.orgPartition(orgId), { skPrefix: prefix });
    return items.map((item) =>
      toTarget(item, {
        agreementId: String(item.agreementId),
        scope: item.scope === 'organization' ? 'organization' : 'account',
        ...(typeof item.accountId === 'string' ? { accountId: item.accountId } : {}),
      }),
    );
  }

  // ---- coverage ------------------------------------------------------------------------------

  /**
   * Coverage of one account by one agreement at an instant, in two Store calls made together: one batch
   * get of the agreement and both target items, and the account's membership history.
   */
  async coverage(orgId: string, accountId: string, agreementId: string, at: string): Promise<Coverage> {
    const keys = [
      agreementKeys.agreement(agreementId),
      agreementKeys.orgTarget(orgId, agreementId),
      agreementKeys.accountTarget(orgId, agreementId, accountId),
    ];
    const [items, intervals] = await Promise.all([
      this.deps.store.batchGet(keys),
      this.deps.membership.intervals(orgId, accountId),
    ]);
    const find = (key: { pk: string; sk: string }) => items.find((item) => item.pk === key.pk && item.sk === key.sk);
    const agreementItem = find(keys[0] as { pk: string; sk: string });
    if (!agreementItem) throw new NotFoundError('No such agreement.');
    const orgTarget = find(keys[1] as { pk: string; sk: string });
    const accountTarget = find(keys[2] as { pk: string; sk: string });
    if (intervals.length === 0 && !accountTarget) throw new NotFoundError('No such account.');
    const agreement = toAgreement(agreementItem);
    const facts: CoverageFacts = {
      acceptances: [
        ...targetFacts(toTarget(orgTarget, { agreementId, scope: 'organization' })),
        ...targetFacts(toTarget(accountTarget, { agreementId, scope: 'account', accountId })),
      ],
      memberships: new Map([[accountId, intervals]]),
      revisions: new Map([[agreementId, revisionFacts(agreement)]]),
    };
    return effectiveCoverage(facts, accountId, agreementId, at);
  }

  /**
   * Accounts (members at `at`, or covered by their own acceptance) × every agreement. Reads three
   * listings (catalog, the org's target items, membership), each paged: no per-account calls.
   */
  async matrix(orgId: string, at: string): Promise<CoverageMatrix> {
    const [agreements, targets, memberships] = await Promise.all([
      this.list(),
      this.targets(orgId),
      this.deps.membership.all(orgId),
    ]);
    const facts: CoverageFacts = {
      acceptances: targets.flatMap(targetFacts),
      memberships,
      revisions: new Map(agreements.map((agreement) => [agreement.agreementId, revisionFacts(agreement)])),
    };
    const accountIds = new Set<string>();
    for (const [accountId, intervals] of memberships) {
      if (intervals.some((i) => i.joinedAt <= at && (i.leftAt === undefined || i.leftAt > at)))
        accountIds.add(accountId);
    }
    for (const target of targets) if (target.accountId) accountIds.add(target.accountId);
    const accounts = [...accountIds].sort().flatMap((accountId) => {
      const coverage = Object.fromEntries(
        agreements.map((agreement) => {
          const answer = effectiveCoverage(facts, accountId, agreement.agreementId, at);
          return [
            agreement.agreementId,
            answer.covered
              ? { covered: true, via: answer.via, since: answer.since, revisionId: answer.revisionId }
              : { covered: false },
          ];
        }),
      );
      const member = memberships
        .get(accountId)
        ?.some((i) => i.joinedAt <= at && (i.leftAt === undefined || i.leftAt > at));
      // Former members appear only while their own acceptance still covers them.
      if (!member && !Object.values(coverage).some((cell) => cell.covered)) return [];
      return [{ accountId, coverage }];
    });
    return {
      at,
      agreements: agreements.map((a) => ({ agreementId: a.agreementId, name: a.name, type: a.type })),
      accounts,
    };
  }

  // ---- membership changes --------------------------------------------------------------------

  async onAccountJoined(orgId: string, accountId: string, at: string): Promise<void> {
    await this.deps.membership.recordJoin(orgId, accountId, at);
  }

  /**
   * The account left the organization at `at`: org coverage ends at once. Records the departure in the
   * membership history and appends one `agreement:CoverageLost` entry per agreement whose org coverage
   * the account loses (not those it keeps through its own acceptance). Idempotent: safe to call again.
   */
  async onAccountLeft(orgId: string, accountId: string, at: string, joinedAt?: string): Promise<LedgerEntry[]> {
    const intervals = await this.deps.membership.recordLeave(orgId, accountId, at, joinedAt);
    const [orgTargets, accountTargets, agreements] = await Promise.all([
      this.targets(orgId, agreementKeys.orgTargetPrefix()),
      this.targets(orgId, agreementKeys.accountTargetPrefix(accountId)),
      this.list(),
    ]);
    const facts: CoverageFacts = {
      acceptances: [...orgTargets, ...accountTargets].flatMap(targetFacts),
      memberships: new Map<string, MembershipInterval[]>([[accountId, intervals]]),
      revisions: new Map(agreements.map((agreement) => [agreement.agreementId, revisionFacts(agreement)])),
    };
    const justBefore = new Date(Date.parse(at) - 1).toISOString();
    const entries: LedgerEntry[] = [];
    for (const target of orgTargets) {
      const before = effectiveCoverage(facts, accountId, target.agreementId, justBefore);
      const after = effectiveCoverage(facts, accountId, target.agreementId, at);
      if (!before.covered || before.via !== 'organization' || after.covered) continue;
      entries.push(
        await this.deps.ledger.append({
          orgId,
          actor: { type: 'system', id: 'agreements' },
          action: 'agreement:CoverageLost',
          subject: agreementArn(orgId, target.agreementId, accountId),
          accountId,
          details: {
            agreementId: target.agreementId,
            acceptanceId: before.acceptanceId,
            reason: 'account left the organization',
            coveredSince: before.since,
            at,
          },
          requestToken: `agreement-coverage-lost#${target.agreementId}#${accountId}#${at}`,
        }),
      );
    }
    return entries;
  }
}
