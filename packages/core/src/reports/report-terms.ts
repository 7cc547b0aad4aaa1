import { z } from 'zod';
import type { Caller } from '../access/caller.js';
import { parseInput } from '../input.js';
import { acceptTerms } from './accept-terms.js';
import { standingAcceptance, termsRevision } from './read-reports.js';
import type { ReportDeps } from './report-deps.js';
import { allowedReportVersion } from './report-details.js';
import {
  type ReportVersionInput,
  type ReportVersionOrNewestInput,
  reportVersionInput,
  reportVersionOrNewestInput,
} from './report-inputs.js';
import type { AcceptanceType, TermsAcceptance, TermsRevision } from './report-model.js';
import { personOf } from './report-question.js';

/** The terms a version is shared under, and whether the caller's acceptance of them still stands. */
export interface VersionTerms {
  revisionId: string;
  title: string;
  sha256: string;
  acceptanceType: AcceptanceType;
  text: string;
  reacceptAfterDays?: number;
  accepted: boolean;
}

/** GET /api/reports/{id}/versions/{v}/terms. */
export async function termsOfVersion(deps: ReportDeps, caller: Caller, raw: ReportVersionInput): Promise<VersionTerms> {
  const input = parseInput(reportVersionInput, raw);
  const { version } = await allowedReportVersion(deps, caller, 'portal:GetReport', input);
  const terms = await termsRevision(deps, version.termsRevisionId);
  const standing = caller.kind === 'principal' ? await standingAcceptance(deps, caller.principal, terms) : undefined;
  return {
    revisionId: terms.revisionId,
    title: terms.title,
    sha256: terms.sha256,
    acceptanceType: version.acceptanceType,
    text: terms.text,
    ...(terms.reacceptAfterDays !== undefined ? { reacceptAfterDays: terms.reacceptAfterDays } : {}),
    accepted: standing !== undefined,
  };
}

/** POST /api/reports/{id}/versions/{v}/terms/acceptances: the body (`revisionId` is the revision the user was shown). */
export const acceptReportTermsBody = z.object({ revisionId: z.string().min(1).max(128) });
export const acceptReportTermsInput = reportVersionInput.extend(acceptReportTermsBody.shape);
export type AcceptReportTermsInput = z.infer<typeof acceptReportTermsInput>;

/**
 * Records the acceptance (unless one still stands) and issues a single-use term token for this
 * person and version (accept-terms.ts), after `portal:AcceptReportTerms` on the report.
 */
export async function acceptReportTerms(
  deps: ReportDeps,
  caller: Caller,
  raw: AcceptReportTermsInput,
): Promise<{ termToken: string; expiresAt: string; acceptance: TermsAcceptance }> {
  const input = parseInput(acceptReportTermsInput, raw);
  const principal = personOf(caller, 'Accepting report terms');
  await allowedReportVersion(deps, caller, 'portal:AcceptReportTerms', input);
  return acceptTerms(deps, principal, input.reportId, input.version, {
    revisionId: input.revisionId,
    ...originOf(caller),
  });
}

/**
 * The Artifact GetTermForReport: asking for the term is accepting the revision the version (its
 * newest when omitted) is shared under now, with the same question and record as `acceptReportTerms`;
 * it answers the terms too, whose document the operation hands out.
 */
export async function acceptCurrentReportTerms(
  deps: ReportDeps,
  caller: Caller,
  raw: ReportVersionOrNewestInput,
): Promise<{ termToken: string; expiresAt: string; acceptance: TermsAcceptance; terms: TermsRevision }> {
  const input = parseInput(reportVersionOrNewestInput, raw);
  const principal = personOf(caller, 'Accepting report terms');
  const { version } = await allowedReportVersion(deps, caller, 'portal:AcceptReportTerms', input);
  const terms = await termsRevision(deps, version.termsRevisionId);
  const accepted = await acceptTerms(deps, principal, input.reportId, version.version, {
    revisionId: terms.revisionId,
    ...originOf(caller),
  });
  return { ...accepted, terms };
}

/** Where an acceptance came from, as its record keeps it. */
function originOf(caller: Caller): { ip?: string; userAgent?: string } {
  const origin = caller.kind === 'principal' ? caller.origin : {};
  return {
    ...(origin.sourceIp ? { ip: origin.sourceIp } : {}),
    ...(origin.userAgent ? { userAgent: origin.userAgent } : {}),
  };
}
