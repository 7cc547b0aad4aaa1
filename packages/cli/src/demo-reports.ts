import {
  type AcceptanceType,
  type BlobStore,
  type Clock,
  type Logger,
  loadPdfTools,
  type ReportActor,
  type ReportService,
} from '@evidence-portal/core';

export interface DemoReportsDeps {
  reports: ReportService;
  blobs: BlobStore;
  clock: Clock;
  logger?: Logger;
}

export interface DemoReportsOptions {
  /** The portal operator's org: publishes first-party reports. */
  operatorOrgId?: string;
  /** A vendor org with a publisher grant for its own company (third-party report). */
  vendorOrgId?: string;
}

interface DemoReport {
  name: string;
  description: string;
  category: string;
  series: string;
  company?: string;
  vendor?: boolean;
  /** Months before now at which each version's period ended, oldest first. */
  periodsEndedMonthsAgo: number[];
  pages?: number;
  acceptanceType?: AcceptanceType;
}

const operatorCompany = 'Example Cloud';
const vendorCompany = 'Acme Payments';

const catalog: DemoReport[] = [
  {
    name: 'Example Cloud SOC 1 Type II',
    description: 'Controls relevant to user entities’ internal control over financial reporting.',
    category: 'SOC',
    series: 'SOC 1 Type II',
    periodsEndedMonthsAgo: [14, 2],
  },
  {
    name: 'Example Cloud SOC 2 Type II',
    description: 'Security, availability and confidentiality trust services criteria, with tests of controls.',
    category: 'SOC',
    series: 'SOC 2 Type II',
    periodsEndedMonthsAgo: [20, 8, 2],
  },
  {
    name: 'Example Cloud SOC 2 Type II — Full Test Results',
    description: 'The complete SOC 2 Type II report with every test of controls (large document).',
    category: 'SOC',
    series: 'SOC 2 Type II',
    periodsEndedMonthsAgo: [2],
    pages: 300,
  },
  {
    name: 'Example Cloud SOC 3',
    description: 'General-use summary of the SOC 2 examination.',
    category: 'SOC',
    series: 'SOC 3',
    periodsEndedMonthsAgo: [2],
    acceptanceType: 'PASSTHROUGH',
  },
  {
    name: 'ISO/IEC 27001 Certificate',
    description: 'Information security management system certification and statement of applicability.',
    category: 'ISO',
    series: 'ISO 27001',
    periodsEndedMonthsAgo: [15, 3],
  },
  {
    name: 'ISO/IEC 27017 Certificate',
    description: 'Cloud-specific information security controls.',
    category: 'ISO',
    series: 'ISO 27017',
    periodsEndedMonthsAgo: [3],
  },
  {
    name: 'ISO/IEC 27018 Certificate',
    description: 'Protection of personally identifiable information in public clouds.',
    category: 'ISO',
    series: 'ISO 27018',
    periodsEndedMonthsAgo: [11],
  },
  {
    name: 'ISO/IEC 27701 Certificate',
    description: 'Privacy information management extension to ISO 27001.',
    category: 'ISO',
    series: 'ISO 27701',
    periodsEndedMonthsAgo: [5],
  },
  {
    name: 'PCI DSS Attestation of Compliance',
    description: 'Service provider attestation of compliance with PCI DSS v4.0.',
    category: 'PCI',
    series: 'PCI DSS v4.0',
    periodsEndedMonthsAgo: [4],
  },
  {
    name: 'PCI DSS Responsibility Matrix',
    description: 'Which PCI DSS requirements the customer, the provider or both are responsible for.',
    category: 'PCI',
    series: 'PCI DSS v4.0',
    periodsEndedMonthsAgo: [4],
    acceptanceType: 'PASSTHROUGH',
  },
  {
    name: 'CSA STAR Level 2 Certification',
    description: 'Cloud Security Alliance STAR attestation of the Cloud Controls Matrix.',
    category: 'CSA',
    series: 'CSA STAR Level 2',
    periodsEndedMonthsAgo: [7],
  },
  {
    name: 'FedRAMP Moderate Package',
    description: 'System security plan summary and authorization letter (moderate baseline).',
    category: 'FedRAMP',
    series: 'FedRAMP Moderate',
    periodsEndedMonthsAgo: [6],
  },
  {
    // Stale: its newest period ended 15 months ago, so a bridge letter is due.
    name: 'HITRUST r2 Certification',
    description: 'HITRUST CSF validated assessment.',
    category: 'HITRUST',
    series: 'HITRUST r2',
    periodsEndedMonthsAgo: [27, 15],
  },
  {
    // Lapses within 30 days: period ended just under 12 months ago.
    name: 'C5 Type 2 Attestation',
    description: 'Cloud Computing Compliance Criteria Catalogue (BSI C5) attestation.',
    category: 'C5',
    series: 'C5 Type 2',
    periodsEndedMonthsAgo: [11.5],
  },
  {
    name: 'Acme Payments SOC 2 Type II',
    description: 'Third-party report of the payment processor used by Example Cloud.',
    category: 'SOC',
    series: 'SOC 2 Type II',
    company: vendorCompany,
    vendor: true,
    periodsEndedMonthsAgo: [3],
  },
];

const termsV1 =
  'Example Cloud Report Access Terms (2024). You may use this report only to evaluate Example Cloud services ' +
  'for your organization. Keep it confidential; do not share it outside your organization or its auditors.';
const termsV2 =
  'Example Cloud Report Access Terms (2026). You may use this report only to evaluate Example Cloud services ' +
  'for your organization and its auditors. Keep it confidential. Each copy is watermarked and traceable to ' +
  'you. Acceptance is valid for one year.';

function dateMonthsAgo(now: Date, months: number): string {
  const at = new Date(now.getTime() - months * 30.44 * 86_400_000);
  return at.toISOString().slice(0, 10);
}

/**
 * Seeds the demo report catalog through the publishing use cases: 15 reports across SOC, ISO, PCI,
 * CSA, FedRAMP, HITRUST and C5 (PDFs generated with pdf-lib, one of 300 pages), several with 2–3
 * versions, a third-party vendor report, a stale one, one lapsing soon, and two terms revisions.
 * A catalog that already has reports is left alone, so it runs once.
 */
export async function seedDemoReports(deps: DemoReportsDeps, options: DemoReportsOptions = {}): Promise<number> {
  const { reports, blobs, clock } = deps;
  // Reports seeded before their alias items existed get them now (idempotent).
  if ((await reports.catalog.all()).length > 0) {
    await reports.backfillAliases();
    return 0;
  }
  const operatorOrgId = options.operatorOrgId ?? 'o-portal-operator';
  const vendorOrgId = options.vendorOrgId ?? 'o-acme-payments';
  const actorFor = (orgId: string): ReportActor => ({
    orgId,
    accountId: '',
    userId: 'demo-seed',
    email: '',
    system: true,
  });
  await reports.grantPublisher({ orgId: operatorOrgId, operator: true, companies: [] });
  await reports.grantPublisher({ orgId: vendorOrgId, operator: false, companies: [vendorCompany] });
  const operator = actorFor(operatorOrgId);
  const vendor = actorFor(vendorOrgId);
  const oldTerms = await reports.publishTerms(operator, { title: 'Report Access Terms 2024', text: termsV1 });
  const newTerms = await reports.publishTerms(operator, {
    title: 'Report Access Terms 2026',
    text: termsV2,
    reacceptAfterDays: 365,
  });
  const vendorTerms = await reports.publishTerms(vendor, {
    title: 'Acme Payments Confidentiality Terms',
    text: 'Acme Payments shares this report in confidence with customers of Example Cloud.',
  });
  const { generateDemoReportPdf } = await loadPdfTools();
  const now = clock.now();
  let count = 0;
  for (const spec of catalog) {
    const actor = spec.vendor ? vendor : operator;
    const company = spec.company ?? operatorCompany;
    let report = await reports.createReport(actor, {
      name: spec.name,
      description: spec.description,
      category: spec.category,
      series: spec.series,
      company,
      thirdParty: spec.vendor === true,
    });
    for (const [index, monthsAgo] of spec.periodsEndedMonthsAgo.entries()) {
      const periodEnd = dateMonthsAgo(now, monthsAgo);
      const periodStart = dateMonthsAgo(now, monthsAgo + 12);
      const latest = index === spec.periodsEndedMonthsAgo.length - 1;
      const terms = spec.vendor ? vendorTerms : latest ? newTerms : oldTerms;
      const { version } = await reports.createVersion(actor, report.id, {
        expectedSequence: report.sequence,
        periodStart,
        periodEnd,
        effectiveDate: dateMonthsAgo(now, Math.max(0, monthsAgo - 1)),
        termsRevisionId: terms.revisionId,
        acceptanceType: spec.acceptanceType ?? 'EXPLICIT',
      });
      const pdf = await generateDemoReportPdf({
        title: spec.name,
        company,
        series: spec.series,
        periodStart,
        periodEnd,
        pages: spec.pages ?? 8 + (index % 3) * 2,
      });
      await blobs.put('reports', version.fileKey, pdf, { contentType: 'application/pdf' });
      await reports.finalizeVersion(actor, report.id, version.version);
      report = await reports.get(report.id, actor.orgId);
    }
    count++;
  }
  deps.logger?.log('info', 'demo reports seeded', { reports: count });
  return count;
}
