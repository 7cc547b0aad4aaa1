import { describe, expect, it } from 'vitest';
import { principalCaller } from '../access/caller.js';
import type { Authorizer, Principal } from '../access/principal.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { createUlidGenerator, ManualClock } from '../ids.js';
import { createLedger } from '../ledger/ledger.js';
import type { BlobStore } from '../ports/blob-store.js';
import { MemoryStore } from '../ports/memory-store.js';
import type { Report } from '../reports/report-model.js';
import { noMatchResponse } from './catalog-retrieval.js';
import { createComplianceInquiries } from './compliance-inquiries.js';

function report(id: string, name: string, category: string, series: string, description: string): Report {
  return {
    id,
    name,
    description,
    category,
    series,
    company: 'Example Cloud',
    thirdParty: false,
    state: 'PUBLISHED',
    publisherOrgId: 'o-operator',
    sequence: 1,
    versionCount: 1,
    latest: {
      version: 2,
      periodStart: '2025-04-01',
      periodEnd: '2026-03-31',
      effectiveDate: '2026-04-15',
      acceptanceType: 'EXPLICIT',
      termsRevisionId: 't-1',
      pageCount: 10,
      publishedAt: '2026-04-15T00:00:00.000Z',
    },
    periods: [['2025-04-01', '2026-03-31']],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const catalog = [
  report(
    'r-soc2',
    'Example Cloud SOC 2 Type II',
    'SOC',
    'SOC 2 Type II',
    'Security, availability and confidentiality trust services criteria.',
  ),
  report(
    'r-soc2-full',
    'Example Cloud SOC 2 Type II — Full Test Results',
    'SOC',
    'SOC 2 Type II',
    'The complete SOC 2 Type II report with every test of controls.',
  ),
  report(
    'r-iso',
    'ISO/IEC 27001 Certificate',
    'ISO',
    'ISO 27001',
    'Information security management system certification.',
  ),
  report(
    'r-pci',
    'PCI DSS Attestation of Compliance',
    'PCI',
    'PCI DSS v4.0',
    'Service provider attestation of compliance.',
  ),
];

const person = (orgId: string, userId = 'u-1'): Principal => ({
  orgId,
  accountId: '111111111111',
  userId,
  email: `${userId}@example.com`,
  displayName: userId,
  sessionId: 's-1',
  mfaPresent: true,
  tags: {},
});

function fixture(options: { deny?: (action: string, resource: string) => boolean } = {}) {
  const store = new MemoryStore();
  const clock = new ManualClock(new Date('2026-06-01T00:00:00.000Z'));
  const ledger = createLedger({ store, clock });
  const asked: string[] = [];
  const authorizer: Authorizer = {
    async authorize(_principal, action, resource) {
      asked.push(`${action} ${resource}`);
      return options.deny?.(action, resource)
        ? { decision: 'ExplicitDeny', reason: 'denied by the test', matchedStatements: [] }
        : { decision: 'Allow', reason: 'test', matchedStatements: [] };
    },
  };
  const objects = new Map<string, Uint8Array>();
  const blobs = {
    async put(_bucket: string, key: string, body: Uint8Array) {
      objects.set(key, body);
    },
    async delete(_bucket: string, key: string) {
      objects.delete(key);
    },
    async presignGet(_bucket: string, key: string) {
      return `https://blobs.test/${key}`;
    },
  } as unknown as BlobStore;
  const inquiries = createComplianceInquiries({
    store,
    clock,
    ids: createUlidGenerator(clock),
    ledger,
    authorizer,
    blobs,
    catalog: async () => catalog,
    isOperator: async (orgId) => orgId === 'o-operator',
  });
  const customer = principalCaller(person('o-customer'));
  const operator = principalCaller(person('o-operator', 'u-op'));
  return { store, ledger, inquiries, asked, objects, customer, operator };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('compliance inquiries (use cases, in memory)', () => {
  it('answers a question from the catalog the caller may read, with citations, and no reviewType', async () => {
    const f = fixture({ deny: (action, resource) => action === 'portal:GetReport' && resource.endsWith('/r-iso') });
    const { inquiry } = await f.inquiries.create(f.customer, {
      name: 'Vendor review',
      inquiryContent: { query: 'Do you have a SOC 2 Type II report, and an ISO 27001 certificate?' },
    });

    expect(inquiry).toMatchObject({ status: 'COMPLETED', inputSource: 'TEXT', queryCount: 1 });
    expect(inquiry.id).toMatch(/^compliance-inquiry-[a-zA-Z0-9]{16}$/);
    expect(f.asked).toContain(`portal:CreateComplianceInquiry arn:portal:o-customer::compliance-inquiry/${inquiry.id}`);
    const page = await f.inquiries.queries(f.customer, { inquiryId: inquiry.id });
    const [query] = page.items;
    expect(query?.reviewType).toBeUndefined();
    expect(query?.statusMessage).toBe('Query processing is complete.');
    // The report named as asked comes first; the ISO report the caller may not read is not evidence.
    expect(query?.citations.map((citation) => citation.reportId)).toEqual(['r-soc2', 'r-soc2-full']);
    expect(query?.citations[0]?.sourceLabel).toBe('Example Cloud SOC 2 Type II version 2');
    expect(query?.response).toMatch(
      /^2 published reports address this question\. Example Cloud SOC 2 Type II \(SOC 2 Type II, SOC;/,
    );
    const entries = await f.ledger.list('o-customer');
    expect(entries.items.map((entry) => entry.action)).toContain('inquiry:Created');
  });

  it('says plainly when no published report addresses the question', async () => {
    const f = fixture();
    const { inquiry } = await f.inquiries.create(f.customer, {
      name: 'Odd one',
      inquiryContent: { query: 'What is the colour of your office carpets?' },
    });
    const page = await f.inquiries.queries(f.customer, { inquiryId: inquiry.id });
    expect(page.items[0]).toMatchObject({ response: noMatchResponse, citations: [] });
  });

  it('reads CSV questionnaires by column (fileSections) and text ones by line, and refuses other files', async () => {
    const f = fixture();
    const csv =
      'ID,Question,Notes\n1,"Is there a PCI DSS attestation?",x\n2,"Do you hold ISO 27001, and since when?",y\n';
    const { inquiry } = await f.inquiries.create(f.customer, {
      name: 'CSV',
      inquiryContent: { fileContent: { content: b64(csv), fileSections: ['Question'] } },
    });
    const page = await f.inquiries.queries(f.customer, { inquiryId: inquiry.id });
    expect(page.items.map((query) => query.query)).toEqual([
      'Is there a PCI DSS attestation?',
      'Do you hold ISO 27001, and since when?',
    ]);
    expect(page.items.map((query) => query.citations[0]?.reportId)).toEqual(['r-pci', 'r-iso']);

    const text = await f.inquiries.create(f.customer, {
      name: 'Text',
      inquiryContent: {
        fileContent: {
          content: b64('# Security\nDo you have SOC 2?\n\n# Other\nAnything else?\n'),
          fileSections: ['Security'],
        },
      },
    });
    expect(text.inquiry.queryCount).toBe(1);

    const pdf = await refusal(
      f.inquiries.create(f.customer, {
        name: 'PDF',
        inquiryContent: { fileContent: { content: b64('%PDF-1.7 ...') } },
      }),
    );
    expect(pdf).toBeInstanceOf(ValidationError);
    expect((pdf as Error).message).toMatch(/Supported questionnaire files: CSV .* plain text/);
    const many = Array.from({ length: 201 }, (_, i) => `Question ${i}?`).join('\n');
    const tooMany = await refusal(
      f.inquiries.create(f.customer, { name: 'Many', inquiryContent: { fileContent: { content: b64(many) } } }),
    );
    expect((tooMany as Error).message).toMatch(/at most 200/);
    const column = await refusal(
      f.inquiries.create(f.customer, {
        name: 'Bad column',
        inquiryContent: { fileContent: { content: b64(csv), fileSections: ['Nope'] } },
      }),
    );
    expect((column as ValidationError).errors[0]?.path).toBe('inquiryContent.fileContent.fileSections');
  });

  it('clientToken: the same input answers the same inquiry; a different input is a conflict', async () => {
    const f = fixture();
    const input = { name: 'Once', inquiryContent: { query: 'SOC 2?' }, clientToken: 'tok-1' };
    const first = await f.inquiries.create(f.customer, input);
    const again = await f.inquiries.create(f.customer, input);
    expect(again.inquiry.id).toBe(first.inquiry.id);
    expect((await f.inquiries.list(f.customer, {})).items).toHaveLength(1);
    const other = await refusal(f.inquiries.create(f.customer, { ...input, name: 'Twice' }));
    expect(other).toBeInstanceOf(ConflictError);
    expect((other as ConflictError).code).toBe('client_token_reused');
  });

  it('writes tags on create with the inquiry, and answers them with it', async () => {
    const f = fixture();
    const created = await f.inquiries.create(f.customer, {
      name: 'Tagged',
      inquiryContent: { query: 'SOC 2?' },
      tags: { team: 'security', 'cost-center': '42' },
    });
    expect(created.tags).toEqual({ team: 'security', 'cost-center': '42' });
    expect(f.asked).toContain(`portal:TagResource arn:portal:o-customer::compliance-inquiry/${created.inquiry.id}`);
    expect((await f.inquiries.get(f.customer, { inquiryId: created.inquiry.id })).tags).toEqual(created.tags);
    const reserved = await refusal(
      f.inquiries.create(f.customer, { name: 'x', inquiryContent: { query: 'SOC 2?' }, tags: { 'aws:x': 'y' } }),
    );
    expect(reserved).toBeInstanceOf(ValidationError);
    expect((await f.inquiries.list(f.customer, {})).items).toHaveLength(1);
  });

  it("another organization's inquiry answers like a missing one", async () => {
    const f = fixture();
    const { inquiry } = await f.inquiries.create(f.customer, { name: 'Mine', inquiryContent: { query: 'SOC 2?' } });
    const stranger = principalCaller(person('o-other'));
    expect(await refusal(f.inquiries.get(stranger, { inquiryId: inquiry.id }))).toBeInstanceOf(NotFoundError);
    expect(await refusal(f.inquiries.queries(stranger, { inquiryId: inquiry.id }))).toBeInstanceOf(NotFoundError);
    expect((await f.inquiries.list(stranger, {})).items).toEqual([]);
  });

  it('FULL_SUPPORT: human review by the operator, revisions, and stale feedback refused', async () => {
    const f = fixture();
    const text = await refusal(
      f.inquiries.create(f.customer, { name: 'x', inquiryContent: { query: 'SOC 2?' }, supportMode: 'FULL_SUPPORT' }),
    );
    expect(text).toBeInstanceOf(ValidationError);
    const { inquiry } = await f.inquiries.create(f.customer, {
      name: 'Reviewed',
      inquiryContent: { fileContent: { content: b64('Do you encrypt backups?\nIs there a SOC 2 report?\n') } },
      supportMode: 'FULL_SUPPORT',
    });
    expect(inquiry).toMatchObject({ status: 'HUMAN_REVIEW', statusMessage: 'Human review is in progress.' });
    const pending = await f.inquiries.queries(f.customer, { inquiryId: inquiry.id });
    expect(pending.items[0]).toMatchObject({ status: 'PROCESSING', statusMessage: 'Query is pending human review.' });
    expect(pending.items[0]?.response).toBeUndefined();
    expect(
      await refusal(
        f.inquiries.answer(f.customer, {
          orgId: 'o-customer',
          inquiryId: inquiry.id,
          queryIdentifier: 1,
          response: 'Yes.',
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);

    const queue = await f.inquiries.reviewQueue(f.operator, {});
    expect(queue.items.map((entry) => entry.id)).toEqual([inquiry.id]);
    await f.inquiries.answer(f.operator, {
      orgId: 'o-customer',
      inquiryId: inquiry.id,
      queryIdentifier: 1,
      response: 'Yes, AES-256.',
    });
    const done = await f.inquiries.answer(f.operator, {
      orgId: 'o-customer',
      inquiryId: inquiry.id,
      queryIdentifier: 2,
      response: 'Yes: see the SOC 2 Type II report.',
      reportIds: ['r-soc2'],
    });
    expect(done.inquiry.status).toBe('COMPLETED');
    expect((await f.inquiries.reviewQueue(f.operator, {})).items).toEqual([]);
    await f.inquiries.feedback(f.customer, {
      inquiryId: inquiry.id,
      queryIdentifier: 1,
      rating: 'THUMBS_UP',
      responseRevisionId: 1,
    });
    const revised = await f.inquiries.answer(f.operator, {
      orgId: 'o-customer',
      inquiryId: inquiry.id,
      queryIdentifier: 1,
      response: 'Yes, AES-256-GCM.',
    });
    expect(revised.query).toMatchObject({ reviewType: 'HUMAN', response: 'Yes, AES-256-GCM.' });
    expect(revised.query.updatedResponseVersions.map((version) => version.responseText)).toEqual([
      'Yes, AES-256.',
      'Yes, AES-256-GCM.',
    ]);
    const stale = await refusal(
      f.inquiries.feedback(f.customer, {
        inquiryId: inquiry.id,
        queryIdentifier: 1,
        rating: 'THUMBS_DOWN',
        responseRevisionId: 1,
      }),
    );
    expect((stale as ConflictError).code).toBe('stale_response');
    const actions = (await f.ledger.list('o-customer')).items.map((entry) => entry.action);
    expect(actions.filter((action) => action === 'inquiry:Answered')).toHaveLength(3);
    expect(actions).toContain('inquiry:FeedbackSubmitted');
  });

  it('feedback clientToken replays; export writes a PDF and a ledger entry', async () => {
    const f = fixture();
    const { inquiry } = await f.inquiries.create(f.customer, {
      name: 'Export me',
      inquiryContent: { query: 'PCI DSS?' },
    });
    const input = {
      inquiryId: inquiry.id,
      queryIdentifier: 1,
      rating: 'THUMBS_DOWN' as const,
      reasonCodes: ['PARTIAL_RESPONSE' as const],
      clientToken: 'fb-1',
    };
    const first = await f.inquiries.feedback(f.customer, input);
    expect(await f.inquiries.feedback(f.customer, input)).toEqual(first);
    expect(await refusal(f.inquiries.feedback(f.customer, { ...input, rating: 'THUMBS_UP' }))).toBeInstanceOf(
      ConflictError,
    );
    const page = await f.inquiries.queries(f.customer, { inquiryId: inquiry.id });
    expect(page.myRatings[1]).toBe('THUMBS_DOWN');

    const exported = await f.inquiries.export(
      f.customer,
      { inquiryId: inquiry.id, includeCitations: true },
      (id) => `/reports/${id}`,
    );
    const pdf = [...f.objects.values()][0];
    expect(
      Buffer.from(pdf ?? [])
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(exported.url).toContain(inquiry.id);
    const actions = (await f.ledger.list('o-customer')).items.map((entry) => entry.action);
    expect(actions).toContain('inquiry:Exported');
  });
});
