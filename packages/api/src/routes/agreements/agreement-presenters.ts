import {
  type AcceptanceView,
  type Agreement,
  agreementTypes,
  type CoverageAnswer,
  type CoverageMatrix,
  type NdaStep,
  type RevisionSummary,
  type Termination,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

/**
 * The agreements module's response shapes and presenters. Each presenter lists the fields it answers
 * (the contract test fails on any other key), so a domain object never passes through.
 */
export const RevisionSchema = z
  .object({
    id: z.string(),
    sha256: z.string(),
    effectiveDate: z.string(),
    publishedAt: z.string(),
    format: z.enum(['markdown', 'pdf']),
  })
  .openapi('AgreementRevision');

export const presentRevision = (revision: RevisionSummary): z.infer<typeof RevisionSchema> => ({
  id: revision.revisionId,
  sha256: revision.sha256,
  effectiveDate: revision.effectiveDate,
  publishedAt: revision.publishedAt,
  format: revision.format,
});

// A PDF revision's storage key is the portal's business, never the reader's (issue 15.17).
export const RevisionTextSchema = RevisionSchema.extend({
  markdown: z.string().optional(),
}).openapi('AgreementRevisionText');

export const presentRevisionText = (
  revision: RevisionSummary & { markdown?: string; blobKey?: string },
): z.infer<typeof RevisionTextSchema> => ({
  ...presentRevision(revision),
  markdown: revision.markdown,
});

export const AgreementSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(agreementTypes),
    description: z.string(),
    subjects: z.array(z.enum(['account', 'organization'])),
    ndaRequired: z.boolean(),
    latestRevision: RevisionSchema.nullable(),
    revisions: z.array(RevisionSchema),
  })
  .openapi('Agreement');

export const presentAgreement = (agreement: Agreement): z.infer<typeof AgreementSchema> => ({
  id: agreement.agreementId,
  name: agreement.name,
  type: agreement.type,
  description: agreement.description,
  subjects: [...agreement.subjects],
  ndaRequired: agreement.ndaRequired,
  latestRevision: agreement.latestRevision ? presentRevision(agreement.latestRevision) : null,
  revisions: agreement.revisions.map(presentRevision),
});

export const NdaSchema = z
  .object({
    required: z.boolean(),
    text: z.string().optional(),
    sha256: z.string().optional(),
    acceptedAt: z.string().optional(),
  })
  .openapi('AgreementNda');

export const presentNda = (step: NdaStep): z.infer<typeof NdaSchema> => ({
  required: step.required,
  text: step.text,
  sha256: step.sha256,
  acceptedAt: step.acceptedAt,
});

export const AcceptanceSchema = z
  .object({
    acceptanceId: z.string(),
    agreementId: z.string(),
    scope: z.enum(['account', 'organization']),
    accountId: z.string().optional(),
    revisionId: z.string(),
    sha256: z.string(),
    acceptedAt: z.string(),
    acceptedBy: z.object({ userId: z.string(), email: z.string(), accountId: z.string(), role: z.string().optional() }),
    sourceIp: z.string().optional(),
    userAgent: z.string().optional(),
    status: z.enum(['active', 'terminated', 'superseded']),
    endedAt: z.string().optional(),
    revisionOutdated: z.boolean(),
    latestRevisionId: z.string().optional(),
  })
  .openapi('AgreementAcceptance');

export const presentAcceptance = (view: AcceptanceView): z.infer<typeof AcceptanceSchema> => ({
  acceptanceId: view.acceptanceId,
  agreementId: view.agreementId,
  scope: view.scope,
  accountId: view.accountId,
  revisionId: view.revisionId,
  sha256: view.sha256,
  acceptedAt: view.acceptedAt,
  acceptedBy: {
    userId: view.acceptedBy.userId,
    email: view.acceptedBy.email,
    accountId: view.acceptedBy.accountId,
    role: view.acceptedBy.role,
  },
  sourceIp: view.sourceIp,
  userAgent: view.userAgent,
  status: view.status,
  endedAt: view.endedAt,
  revisionOutdated: view.revisionOutdated,
  latestRevisionId: view.latestRevisionId,
});

export const TerminationSchema = z
  .object({ acceptanceId: z.string(), terminatedAt: z.string() })
  .openapi('AgreementTermination');

export const presentTermination = (termination: Termination): z.infer<typeof TerminationSchema> => ({
  acceptanceId: termination.acceptanceId,
  terminatedAt: termination.terminatedAt,
});

const CellSchema = z.object({
  covered: z.boolean(),
  via: z.enum(['account', 'organization']).optional(),
  since: z.string().optional(),
  revisionId: z.string().optional(),
});

export const CoverageSchema = CellSchema.extend({
  acceptanceId: z.string().optional(),
  revisionOutdated: z.boolean().optional(),
  at: z.string(),
}).openapi('Coverage');

export const presentCoverage = (answer: CoverageAnswer): z.infer<typeof CoverageSchema> =>
  answer.covered
    ? {
        covered: true,
        via: answer.via,
        since: answer.since,
        revisionId: answer.revisionId,
        acceptanceId: answer.acceptanceId,
        revisionOutdated: answer.revisionOutdated,
        at: answer.at,
      }
    : { covered: false, at: answer.at };

export const MatrixSchema = z
  .object({
    at: z.string(),
    agreements: z.array(z.object({ agreementId: z.string(), name: z.string(), type: z.string() })),
    accounts: z.array(z.object({ accountId: z.string(), coverage: z.record(z.string(), CellSchema) })),
  })
  .openapi('CoverageMatrix');

export const presentMatrix = (matrix: CoverageMatrix): z.infer<typeof MatrixSchema> => ({
  at: matrix.at,
  agreements: matrix.agreements.map((a) => ({ agreementId: a.agreementId, name: a.name, type: a.type })),
  accounts: matrix.accounts.map((account) => ({
    accountId: account.accountId,
    coverage: Object.fromEntries(
      Object.entries(account.coverage).map(([agreementId, cell]) => [
        agreementId,
        { covered: cell.covered, via: cell.via, since: cell.since, revisionId: cell.revisionId },
      ]),
    ),
  })),
});
