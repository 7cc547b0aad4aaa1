import {
  type Agreements,
  ConflictError,
  type CreateAgreementInput,
  type Principal,
  principalCaller,
  systemCaller,
} from '@evidence-portal/core';

export interface DemoAgreementsOptions {
  /** The customer organization (seeded before this runs). */
  orgId: string;
  /** The member account that accepts the BAA for itself. */
  accountWithOwnBaa: string;
  /** Who acts for that account (recorded on the acceptance and in the ledger). */
  acceptedBy: { userId: string; email: string };
  /** The organization that publishes the catalog (the portal operator). */
  publisherOrgId: string;
}

export const demoAgreementIds = {
  baa: 'agr-hipaa-baa',
  dpa: 'agr-gdpr-dpa',
  breachAddendum: 'agr-breach-notification',
} as const;

/**
 * The agreements of the demo: a HIPAA BAA with two revisions, a GDPR DPA behind an NDA step, a
 * breach-notification addendum, and one account that accepted the BAA for itself. Already-present
 * agreements are left as they are, so a second run adds nothing.
 */
export async function seedDemoAgreements(
  deps: { agreements: Agreements },
  options: DemoAgreementsOptions,
): Promise<{ created: string[] }> {
  const service = deps.agreements;
  // The catalog is published by the operator's organization; the seed acts for it as trusted code.
  const publisher = systemCaller(options.publisherOrgId, 'demo-seed');
  const created: string[] = [];

  async function create(
    agreementId: string,
    input: Omit<CreateAgreementInput, 'agreementId'>,
    revisions: Array<{ effectiveDate: string; markdown: string }>,
  ): Promise<string | undefined> {
    try {
      await service.create(publisher, { ...input, agreementId });
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'agreement_exists') return undefined;
      throw error;
    }
    let latest: string | undefined;
    for (const revision of revisions)
      latest = (await service.publishRevision(publisher, { agreementId, ...revision })).revisionId;
    created.push(agreementId);
    return latest;
  }

  const baaRevision = await create(
    demoAgreementIds.baa,
    {
      name: 'HIPAA Business Associate Addendum',
      type: 'BAA',
      description: 'Required before storing protected health information (PHI).',
      subjects: ['account', 'organization'],
    },
    [
      { effectiveDate: '2025-01-01', markdown: baaText('2025-01-01', 'Breach notice within 60 days of discovery.') },
      { effectiveDate: '2026-01-01', markdown: baaText('2026-01-01', 'Breach notice within 30 days of discovery.') },
    ],
  );
  await create(
    demoAgreementIds.dpa,
    {
      name: 'GDPR Data Processing Addendum',
      type: 'DPA',
      description: 'Article 28 terms for processing personal data of people in the EU.',
      subjects: ['account', 'organization'],
      ndaText: 'The text of this addendum is confidential. You agree not to disclose it outside your organization.',
    },
    [
      {
        effectiveDate: '2025-05-25',
        markdown: '# Data Processing Addendum\n\nThe processor acts only on documented instructions.',
      },
    ],
  );
  await create(
    demoAgreementIds.breachAddendum,
    {
      name: 'Breach Notification Addendum',
      type: 'addendum',
      description: 'Commits the provider to notify security incidents within 72 hours.',
      subjects: ['organization'],
    },
    [{ effectiveDate: '2025-06-01', markdown: '# Breach Notification\n\nNotice within 72 hours.' }],
  );

  if (baaRevision) {
    const principal: Principal = {
      orgId: options.orgId,
      accountId: options.accountWithOwnBaa,
      userId: options.acceptedBy.userId,
      email: options.acceptedBy.email,
      displayName: 'Demo seed',
      sessionId: 'demo-seed',
      mfaPresent: true,
      tags: {},
    };
    // The account's own BAA is accepted by its administrator, as they would in the console.
    await service.accept(principalCaller(principal, { userAgent: 'evidence demo seed' }), {
      agreementId: demoAgreementIds.baa,
      scope: 'account',
      accountId: options.accountWithOwnBaa,
      revisionId: baaRevision,
    });
  }
  return { created };
}

function baaText(effectiveDate: string, breachClause: string): string {
  return [
    '# HIPAA Business Associate Addendum',
    '',
    `Effective ${effectiveDate}.`,
    '',
    '1. The business associate safeguards protected health information.',
    `2. ${breachClause}`,
    '3. Subcontractors agree to the same restrictions.',
  ].join('\n');
}
