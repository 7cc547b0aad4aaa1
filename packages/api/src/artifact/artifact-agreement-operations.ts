import type { AcceptanceView, Agreement } from '@evidence-portal/core';
import { ForbiddenError, NotFoundError, ValidationError } from '@evidence-portal/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { callerOf } from '../route-kit.js';
import { artifactAlias, artifactArn, offsetOf, offsetToken, revisionAlias } from './artifact-ids.js';
import { parseQuery } from './artifact-input.js';
import { maxResultsField, nextTokenField } from './artifact-report-operations.js';

/** One acceptance as Artifact's CustomerAgreementSummary (account or organization acceptance). */
export function customerAgreement(c: Context<AppEnv>, agreement: Agreement, acceptance: AcceptanceView) {
  const alias = artifactAlias('customer-agreement', acceptance.acceptanceId);
  const organization = acceptance.scope === 'organization';
  const accountId = organization ? acceptance.acceptedBy.accountId : (acceptance.accountId ?? '');
  return {
    name: agreement.name,
    arn: artifactArn(c, 'customer-agreement', alias, accountId),
    id: alias,
    agreementArn: artifactArn(c, 'agreement', artifactAlias('agreement', agreement.agreementId)),
    awsAccountId: accountId,
    ...(organization
      ? { organizationArn: `arn:aws:organizations::${accountId}:organization/${acceptance.orgId}` }
      : {}),
    effectiveStart: acceptance.acceptedAt,
    ...(acceptance.endedAt ? { effectiveEnd: acceptance.endedAt } : {}),
    state: acceptance.status === 'active' ? 'ACTIVE' : 'CUSTOMER_TERMINATED',
    description: agreement.description,
    acceptanceTerms: [`I accept ${agreement.name} (revision ${acceptance.revisionId}, sha256 ${acceptance.sha256}).`],
    terminateTerms: [`Terminating ${agreement.name} ends its coverage at once.`],
    type: 'DEFAULT',
  };
}

/**
 * ListCustomerAgreements: the organization's acceptances (account and organization scope) of every
 * agreement, each target's latest (active, or terminated) — superseded acceptances are history, not
 * agreements. Through the agreements use cases, so `authorize` is asked as on the portal's routes.
 */
export function artifactAgreementOperations() {
  const app = new Hono<AppEnv>();

  app.get('/v1/customer-agreement/list', async (c) => {
    const query = parseQuery(c, z.object({ maxResults: maxResultsField, nextToken: nextTokenField }));
    const { agreements } = c.get('deps');
    const caller = callerOf(c);
    const all = [];
    for (const agreement of await agreements.list(caller)) {
      const history = await agreements.history(caller, { agreementId: agreement.agreementId });
      for (const acceptance of history) {
        if (acceptance.status !== 'superseded') all.push(customerAgreement(c, agreement, acceptance));
      }
    }
    const offset = offsetOf('customer-agreements', query.nextToken);
    if (offset === undefined) {
      throw new ValidationError('Invalid nextToken.', [{ path: 'nextToken', message: 'not a token of this listing' }]);
    }
    const size = query.maxResults ?? 100;
    return c.json({
      customerAgreements: all.slice(offset, offset + size),
      ...(offset + size < all.length ? { nextToken: offsetToken('customer-agreements', offset + size) } : {}),
    });
  });

  // ListAgreements (current API reference; not in botocore's 2018-05-10 model): the catalog the caller may list.
  app.get('/v1/agreement/list', async (c) => {
    const query = parseQuery(c, z.object({ maxResults: maxResultsField, nextToken: nextTokenField }));
    const all = (await c.get('deps').agreements.list(callerOf(c))).map((agreement) => agreementSummary(c, agreement));
    const offset = offsetOf('agreements', query.nextToken);
    if (offset === undefined) {
      throw new ValidationError('Invalid nextToken.', [{ path: 'nextToken', message: 'not a token of this listing' }]);
    }
    const size = query.maxResults ?? 100;
    return c.json({
      agreements: all.slice(offset, offset + size),
      ...(offset + size < all.length ? { nextToken: offsetToken('agreements', offset + size) } : {}),
    });
  });

  return app;
}

/** An agreement of the catalog as the API reference's AgreementSummary. */
function agreementSummary(c: Context<AppEnv>, agreement: Agreement) {
  const alias = artifactAlias('agreement', agreement.agreementId);
  return {
    arn: artifactArn(c, 'agreement', alias),
    id: alias,
    name: agreement.name,
    description: agreement.description,
    type: 'DEFAULT',
    subjects: agreement.subjects.map((subject) => (subject === 'account' ? 'ACCOUNT' : 'ORGANIZATION')),
    ...(agreement.latestRevision ? { revisionId: revisionAlias(agreement.latestRevision.revisionId) } : {}),
    acceptanceTerms: [`I accept ${agreement.name}.`],
    terminateTerms: [`Terminating ${agreement.name} ends its coverage at once.`],
  };
}

/** A customer-agreement alias -> the acceptance and its agreement, among the organization's acceptances. */
export async function findCustomerAgreement(
  c: Context<AppEnv>,
  alias: string,
): Promise<{ agreement: Agreement; acceptance: AcceptanceView }> {
  const { agreements } = c.get('deps');
  const caller = callerOf(c);
  // The catalog without asking: reading each agreement's acceptances asks portal:GetAgreement for it. An
  // agreement the caller may not read is skipped; if the alias is not found elsewhere, that refusal answers.
  let refused: unknown;
  for (const agreement of await agreements.catalog()) {
    let history: AcceptanceView[];
    try {
      history = await agreements.history(caller, { agreementId: agreement.agreementId });
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      refused ??= error;
      continue;
    }
    for (const acceptance of history) {
      if (artifactAlias('customer-agreement', acceptance.acceptanceId) === alias) return { agreement, acceptance };
    }
  }
  if (refused) throw refused;
  throw new NotFoundError(`No customer agreement ${alias}.`);
}
