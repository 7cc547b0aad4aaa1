import { createHash } from 'node:crypto';
import {
  type AcceptanceView,
  type Agreement,
  ConflictError,
  NotFoundError,
  type RevisionSummary,
  ValidationError,
} from '@evidence-portal/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { callerOf, principalOf } from '../route-kit.js';
import { customerAgreement, findCustomerAgreement } from './artifact-agreement-operations.js';
import { artifactAlias, revisionAlias } from './artifact-ids.js';
import { parseBody, parseQuery } from './artifact-input.js';

const agreementIdField = z.string().regex(/^agreement-[a-zA-Z0-9]{16}$/, 'must match agreement-[a-zA-Z0-9]{16}');
const customerAgreementIdField = z
  .string()
  .regex(/^customer-agreement-[a-zA-Z0-9]{16}$/, 'must match customer-agreement-[a-zA-Z0-9]{16}');
const revisionIdField = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a revision id (UUID form)');
const ndaTokenField = z.string().regex(/^nda-token-[a-zA-Z0-9]{24}$/, 'must match nda-token-[a-zA-Z0-9]{24}');
const agreementTokenField = z
  .string()
  .regex(/^agreement-token-[a-zA-Z0-9]{24}$/, 'must match agreement-token-[a-zA-Z0-9]{24}');

/**
 * The flow's tokens (`nda-token-…`, `agreement-token-…`) bind a step to what the caller was shown: the
 * person, the agreement, the revision and the SHA-256 of the document. They are bindings, not secrets:
 * what each step checks is the portal's own record (the NDA acceptance, the latest revision, the active
 * acceptance), exactly as the portal's routes check it.
 */
function flowToken(c: Context<AppEnv>, prefix: 'nda-token' | 'agreement-token', ...parts: string[]): string {
  const principal = principalOf(c);
  const digest = createHash('sha256')
    .update([prefix, principal.orgId, principal.userId, ...parts].join('\u0000'))
    .digest('hex');
  return `${prefix}-${digest.slice(0, 24)}`;
}

function wrongToken(field: string, message: string): never {
  throw new ValidationError(`Invalid ${field}.`, [{ path: field, message }]);
}

/** An agreement alias -> the catalog's agreement (the use cases then ask `authorize` for it). */
async function agreementOf(c: Context<AppEnv>, alias: string): Promise<Agreement> {
  const catalog = await c.get('deps').agreements.catalog();
  const agreement = catalog.find((candidate) => artifactAlias('agreement', candidate.agreementId) === alias);
  if (!agreement) throw new NotFoundError(`No agreement ${alias}.`);
  return agreement;
}

function latestOf(agreement: Agreement, alias: string): RevisionSummary {
  if (!agreement.latestRevision) throw new NotFoundError(`Agreement ${alias} has no published revision yet.`);
  return agreement.latestRevision;
}

/** A document behind a short-lived URL: stored once beside the reports, addressed by its content. */
async function presignedText(c: Context<AppEnv>, key: string, text: string, filename: string): Promise<string> {
  const { blobs } = c.get('deps');
  if (!(await blobs.head('reports', key))) {
    await blobs.put('reports', key, new TextEncoder().encode(text), { contentType: 'text/plain; charset=utf-8' });
  }
  return blobs.presignGet('reports', key, { expiresInSeconds: 300, downloadFilename: filename });
}

/** The NDA binding: its SHA-256, or `none` for an agreement without an NDA step (its token is then a formality). */
const ndaBinding = (step: { required: boolean; sha256?: string }) => (step.required ? (step.sha256 ?? '') : 'none');

/** The revision's document: its Markdown as text, or its PDF, behind a short-lived URL. */
async function revisionDocument(c: Context<AppEnv>, agreementId: string, revisionId: string): Promise<string> {
  const revision = await c.get('deps').agreements.revisionText(callerOf(c), { agreementId, revisionId });
  if (revision.blobKey) {
    return c.get('deps').blobs.presignGet('reports', revision.blobKey, {
      expiresInSeconds: 300,
      downloadFilename: `${revisionId}.pdf`,
    });
  }
  return presignedText(
    c,
    `agreements/${agreementId}/revisions/${revision.sha256}.md`,
    revision.markdown ?? '',
    `${revisionId}.md`,
  );
}

/** Accepting for the caller's own account when the agreement is accepted by accounts; else for the organization. */
const scopeOf = (agreement: Agreement) =>
  agreement.subjects.includes('account') ? ({ scope: 'account' } as const) : ({ scope: 'organization' } as const);

/**
 * The agreement flow of the current Artifact API reference (none of it is in botocore's 2018-05-10
 * model): GetNdaForAgreement -> AcceptNdaForAgreement (NDA token -> agreement token) -> GetAgreement
 * -> AcceptAgreement; GetCustomerAgreement -> TerminateAgreement. Each step calls the portal's
 * agreements use cases, which ask `authorize` as the portal's routes do; accepting and terminating
 * need MFA, which only temporary credentials from GetSessionToken carry.
 */
export function artifactAgreementFlow() {
  const app = new Hono<AppEnv>();

  app.get('/v1/agreement/getNdaForAgreement', async (c) => {
    const query = parseQuery(c, z.object({ agreementId: agreementIdField }));
    const agreement = await agreementOf(c, query.agreementId);
    const { agreementId } = agreement;
    const step = await c.get('deps').agreements.nda(callerOf(c), { agreementId });
    const revision = latestOf(agreement, query.agreementId);
    const text = step.required
      ? (step.text ?? '')
      : `${agreement.name} has no NDA: accept this step (AcceptNdaForAgreement) to read the agreement.`;
    return c.json({
      acceptNdaForAgreementToken: flowToken(c, 'nda-token', 'accept-nda', agreementId, ndaBinding(step)),
      agreementRevisionId: revisionAlias(revision.revisionId),
      documentPresignedUrl: await presignedText(
        c,
        `agreements/${agreementId}/nda/${ndaBinding(step)}.txt`,
        text,
        `${query.agreementId}-nda.txt`,
      ),
    });
  });

  app.post('/v1/agreement/acceptNdaForAgreement', async (c) => {
    const body = await parseBody(
      c,
      z.object({ agreementId: agreementIdField, agreementRevisionId: revisionIdField, ndaToken: ndaTokenField }),
    );
    const agreement = await agreementOf(c, body.agreementId);
    const { agreementId } = agreement;
    const { agreements } = c.get('deps');
    const step = await agreements.nda(callerOf(c), { agreementId });
    if (revisionAlias(latestOf(agreement, body.agreementId).revisionId) !== body.agreementRevisionId) {
      throw new ConflictError('That is not the latest revision: call GetNdaForAgreement again.', 'revision_not_latest');
    }
    if (body.ndaToken !== flowToken(c, 'nda-token', 'accept-nda', agreementId, ndaBinding(step))) {
      wrongToken('ndaToken', 'not the token GetNdaForAgreement gave you for the current NDA');
    }
    try {
      await agreements.acceptNda(callerOf(c), { agreementId, sha256: step.sha256 ?? '0'.repeat(64) });
    } catch (error) {
      // No NDA to accept: the use case asked `authorize` (portal:AcceptAgreement) first; nothing to record.
      if ((error as { code?: string }).code !== 'nda_not_required') throw error;
    }
    return c.json({ getAgreementToken: flowToken(c, 'nda-token', 'get-agreement', agreementId, ndaBinding(step)) });
  });

  app.get('/v1/agreement/get', async (c) => {
    const query = parseQuery(c, z.object({ agreementId: agreementIdField, ndaToken: ndaTokenField }));
    const { agreementId } = await agreementOf(c, query.agreementId);
    const { agreements } = c.get('deps');
    const step = await agreements.nda(callerOf(c), { agreementId });
    if (query.ndaToken !== flowToken(c, 'nda-token', 'get-agreement', agreementId, ndaBinding(step))) {
      wrongToken('ndaToken', 'not the token AcceptNdaForAgreement gave you for the current NDA');
    }
    const agreement = await agreements.get(callerOf(c), { agreementId });
    const revision = latestOf(agreement, query.agreementId);
    const documentPresignedUrl = await revisionDocument(c, agreementId, revision.revisionId);
    return c.json({
      acceptanceTerms: [
        `I accept ${agreement.name} (revision effective ${revision.effectiveDate}, sha256 ${revision.sha256}).`,
      ],
      acceptanceTermsToken: flowToken(c, 'agreement-token', 'terms', agreementId, revision.revisionId, revision.sha256),
      agreementRevisionId: revisionAlias(revision.revisionId),
      documentPresignedUrl,
      executeAgreementToken: flowToken(c, 'agreement-token', 'execute', agreementId, revision.revisionId),
    });
  });

  app.post('/v1/agreement/accept', async (c) => {
    const body = await parseBody(
      c,
      z.object({
        acceptanceTermsToken: agreementTokenField,
        agreementId: agreementIdField,
        agreementRevisionId: revisionIdField,
        executeAgreementToken: agreementTokenField,
      }),
    );
    const agreement = await agreementOf(c, body.agreementId);
    const { agreementId } = agreement;
    const { agreements } = c.get('deps');
    const revision = latestOf(agreement, body.agreementId);
    if (revisionAlias(revision.revisionId) !== body.agreementRevisionId) {
      throw new ConflictError('That is not the latest revision: call GetAgreement again.', 'revision_not_latest');
    }
    const terms = flowToken(c, 'agreement-token', 'terms', agreementId, revision.revisionId, revision.sha256);
    if (body.acceptanceTermsToken !== terms) wrongToken('acceptanceTermsToken', 'not the token GetAgreement gave you');
    if (body.executeAgreementToken !== flowToken(c, 'agreement-token', 'execute', agreementId, revision.revisionId)) {
      wrongToken('executeAgreementToken', 'not the token GetAgreement gave you');
    }
    const accepted: AcceptanceView = await agreements.accept(callerOf(c), {
      agreementId,
      ...scopeOf(agreement),
      revisionId: revision.revisionId,
    });
    return c.json({ customerAgreement: customerAgreement(c, agreement, accepted) });
  });

  // GetCustomerAgreement as the API reference defines it: the accepted document and the termination token.
  app.get('/v1/customer-agreement/get', async (c) => {
    const query = parseQuery(c, z.object({ customerAgreementId: customerAgreementIdField }));
    const { agreement, acceptance } = await findCustomerAgreement(c, query.customerAgreementId);
    let documentPresignedUrl: string | undefined;
    try {
      documentPresignedUrl = await revisionDocument(c, agreement.agreementId, acceptance.revisionId);
    } catch (error) {
      // Accepted for the organization by someone else, behind an NDA this caller has not accepted: no document.
      if ((error as { code?: string }).code !== 'nda_required') throw error;
    }
    return c.json({
      ...(documentPresignedUrl ? { documentPresignedUrl } : {}),
      terminateAgreementToken: flowToken(c, 'agreement-token', 'terminate', acceptance.acceptanceId),
      terminateTerms: [`Terminating ${agreement.name} ends its coverage at once.`],
    });
  });

  app.post('/v1/customer-agreement/terminate', async (c) => {
    const body = await parseBody(
      c,
      z.object({ customerAgreementId: customerAgreementIdField, terminateAgreementToken: agreementTokenField }),
    );
    const { agreement, acceptance } = await findCustomerAgreement(c, body.customerAgreementId);
    if (body.terminateAgreementToken !== flowToken(c, 'agreement-token', 'terminate', acceptance.acceptanceId)) {
      wrongToken('terminateAgreementToken', 'not the token GetCustomerAgreement gave you');
    }
    if (acceptance.status !== 'active') {
      throw new ConflictError(`Customer agreement ${body.customerAgreementId} is not active.`, 'not_accepted');
    }
    const terminated = await c.get('deps').agreements.terminate(callerOf(c), {
      agreementId: agreement.agreementId,
      scope: acceptance.scope,
      ...(acceptance.scope === 'account' && acceptance.accountId ? { accountId: acceptance.accountId } : {}),
    });
    const summary = customerAgreement(c, agreement, acceptance);
    return c.json({
      customerAgreement: {
        agreementArn: summary.agreementArn,
        arn: summary.arn,
        effectiveStart: summary.effectiveStart,
        effectiveEnd: terminated.terminatedAt,
        id: summary.id,
        name: summary.name,
        state: 'CUSTOMER_TERMINATED',
      },
    });
  });

  return app;
}
