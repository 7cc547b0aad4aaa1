import { randomBytes } from 'node:crypto';
import { reportArn } from '../access/resources.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { sha256Hex } from '../sha256.js';
import { reportVersion, standingAcceptance, termsRevision } from './read-reports.js';
import { type ReportActor, type ReportDeps, reportActorOf } from './report-deps.js';
import { reportKeys } from './report-keys.js';
import type { TermsAcceptance } from './report-model.js';
import { reportEntryKeys } from './report-question.js';

/**
 * Records the acceptance (unless one still stands) and issues a single-use term token bound to
 * this principal and report version. `revisionId` is the revision the user was shown.
 */
export async function acceptTerms(
  deps: ReportDeps,
  actor: ReportActor,
  reportId: string,
  versionNumber: number,
  input: { revisionId: string; ip?: string; userAgent?: string },
): Promise<{ termToken: string; expiresAt: string; acceptance: TermsAcceptance }> {
  const { report, version } = await reportVersion(deps, reportId, versionNumber, actor.orgId);
  if (version.uploadState !== 'COMPLETE') throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
  if (input.revisionId !== version.termsRevisionId) {
    throw new ConflictError(
      `The terms changed: revision ${version.termsRevisionId} applies now, not ${input.revisionId}. Read the current terms and accept them.`,
      'terms_revision_stale',
    );
  }
  const terms = await termsRevision(deps, version.termsRevisionId);
  const now = deps.clock.now();
  let acceptance = await standingAcceptance(deps, actor, terms);
  if (!acceptance) {
    acceptance = {
      acceptanceId: `acc-${deps.ids.newId()}`,
      orgId: actor.orgId,
      userId: actor.userId,
      email: actor.email,
      accountId: actor.accountId,
      reportId,
      version: versionNumber,
      revisionId: terms.revisionId,
      termsSha256: terms.sha256,
      acceptanceType: version.acceptanceType,
      acceptedAt: now.toISOString(),
      ...(input.ip ? { ip: input.ip } : {}),
      ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 512) } : {}),
    };
    await deps.ledger.append({
      orgId: actor.orgId,
      actor: reportActorOf(actor),
      action: 'report:TermsAccepted',
      subject: reportArn(actor.orgId, reportId, actor.accountId),
      accountId: actor.accountId,
      details: {
        ...reportEntryKeys(report),
        reportId,
        version: versionNumber,
        acceptanceId: acceptance.acceptanceId,
        termsRevisionId: terms.revisionId,
        termsSha256: terms.sha256,
        acceptanceType: version.acceptanceType,
      },
      alsoWrite: [
        {
          kind: 'put',
          item: {
            ...reportKeys.acceptance(actor.orgId, acceptance.acceptanceId),
            gsi1pk: reportKeys.acceptancesOf(actor.orgId, actor.userId, terms.revisionId),
            gsi1sk: `${acceptance.acceptedAt}#${acceptance.acceptanceId}`,
            data: JSON.stringify(acceptance),
          },
          condition: { kind: 'notExists' },
        },
      ],
    });
  }
  const termToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + deps.settings.termTokenTtlSeconds * 1000);
  await deps.store.put(
    {
      ...reportKeys.termToken(sha256Hex(termToken)),
      orgId: actor.orgId,
      userId: actor.userId,
      reportId,
      version: versionNumber,
      revisionId: terms.revisionId,
      acceptanceId: acceptance.acceptanceId,
      expiresAt: expiresAt.toISOString(),
      used: false,
      ttl: Math.floor(expiresAt.getTime() / 1000) + 86_400,
    },
    { kind: 'notExists' },
  );
  return { termToken, expiresAt: expiresAt.toISOString(), acceptance };
}
