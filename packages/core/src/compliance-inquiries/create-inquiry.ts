import { actorOfCaller, type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { complianceInquiryArn } from '../access/resources.js';
import { ConditionFailedError, ValidationError } from '../errors.js';
import { parseInput } from '../input.js';
import type { WriteOp } from '../ports/store.js';
import { tagConditionKeys } from '../tags/tag-deps.js';
import { initialTagOps } from '../tags/tag-records.js';
import { answerFrom, type RetrievedAnswer, readableReports } from './catalog-retrieval.js';
import { claimItem, claimOf, replayOf } from './client-tokens.js';
import { type InquiryDeps, nowOf } from './inquiry-deps.js';
import { maxQuestionnaireBytes } from './inquiry-inputs.js';
import {
  type Inquiry,
  type InquiryQuery,
  inquiryStatusMessages,
  queryStatusMessages,
  type SupportMode,
} from './inquiry-model.js';
import { chunked, chunkItem, inquiryItem, readInquiry } from './inquiry-records.js';
import { type CreateInquiryInput, createInquiryInput } from './inquiry-schemas.js';
import { inquiryResource, tagsOfInquiry } from './inquiry-taggables.js';
import { type Question, questionsOf } from './questionnaire-file.js';

async function replayed(deps: InquiryDeps, orgId: string, inquiryId: string) {
  const [inquiry, tags] = await Promise.all([
    readInquiry(deps.store, orgId, inquiryId, true),
    tagsOfInquiry(deps.store, orgId, inquiryId),
  ]);
  return { inquiry, tags };
}

/** The 16 letters and digits of an id: the random part of a ULID. */
function newInquiryId(deps: InquiryDeps): string {
  const id = deps.ids.newId().replace(/[^A-Za-z0-9]/g, '');
  return `compliance-inquiry-${id.slice(-16).padStart(16, '0')}`;
}

function decodeFile(content: string): Uint8Array {
  const bytes = Buffer.from(content.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.byteLength > maxQuestionnaireBytes) {
    throw new ValidationError(`The file is larger than ${maxQuestionnaireBytes} bytes.`, [
      { path: 'inquiryContent.fileContent.content', message: 'file too large' },
    ]);
  }
  return new Uint8Array(bytes);
}

/** A file question the model cannot carry (over 2,048 characters, or holding < or >) fails on its own. */
function queryOf(
  question: Question,
  index: number,
  supportMode: SupportMode,
  answer: (text: string) => RetrievedAnswer,
  at: string,
) {
  const base = {
    queryIdentifier: index + 1,
    ...(question.section ? { section: question.section } : {}),
    createdAt: at,
  };
  if (question.text.length > 2048 || /[<>]/.test(question.text)) {
    return {
      ...base,
      query: question.text.replace(/[<>]/g, ' ').slice(0, 2048),
      citations: [],
      status: 'FAILED',
      statusMessage: queryStatusMessages.restricted,
      updatedResponseVersions: [],
    } satisfies InquiryQuery;
  }
  if (supportMode === 'FULL_SUPPORT') {
    return {
      ...base,
      query: question.text,
      citations: [],
      status: 'PROCESSING',
      statusMessage: queryStatusMessages.pendingReview,
      updatedResponseVersions: [],
    } satisfies InquiryQuery;
  }
  return {
    ...base,
    query: question.text,
    ...answer(question.text),
    status: 'COMPLETED',
    statusMessage: queryStatusMessages.complete,
    updatedResponseVersions: [],
  } satisfies InquiryQuery;
}

/**
 * Creates the inquiry and answers it at once from the catalog the caller may read (AI_ONLY), or puts
 * every query in the operator's human review (FULL_SUPPORT). The inquiry, its queries, the token
 * claim and the `inquiry:Created` entry are one transaction.
 */
export async function createInquiry(
  deps: InquiryDeps,
  caller: Caller,
  raw: CreateInquiryInput,
): Promise<{ inquiry: Inquiry; tags: Record<string, string> }> {
  const input = parseInput(createInquiryInput, raw);
  const supportMode = input.supportMode ?? 'AI_ONLY';
  if (supportMode === 'FULL_SUPPORT' && input.inquiryContent.fileContent === undefined) {
    throw new ValidationError('supportMode FULL_SUPPORT is only supported for file uploads.', [
      { path: 'supportMode', message: 'FULL_SUPPORT needs inquiryContent.fileContent' },
    ]);
  }
  const tags = input.tags ?? {};
  const orgId = orgOf(caller);
  const actor = actorOfCaller(caller);
  const { clientToken, ...rest } = input;
  const claim = clientToken ? claimOf(orgId, actor.id, 'create', clientToken, rest) : undefined;
  const replay = await replayOf(deps.store, claim);
  if (replay?.inquiryId) return replayed(deps, orgId, replay.inquiryId);

  const id = newInquiryId(deps);
  const arn = complianceInquiryArn(orgId, id);
  await requireAllowed(deps.authorizer, caller, 'portal:CreateComplianceInquiry', arn);
  // Tagging on create is tagging: asked as TagResource with the request's tags (aws:RequestTag, aws:TagKeys).
  const tagOps = initialTagOps(orgId, inquiryResource(id), tags);
  if (tagOps.length > 0) {
    await requireAllowed(deps.authorizer, caller, 'portal:TagResource', arn, {
      ...tagConditionKeys({}, { tags, tagKeys: Object.keys(tags) }),
    });
  }
  const file = input.inquiryContent.fileContent;
  const questions: Question[] = file
    ? questionsOf(decodeFile(file.content), file.fileSections ?? [])
    : [{ text: input.inquiryContent.query as string }];
  const reports = supportMode === 'AI_ONLY' ? await readableReports(deps, caller) : [];
  const at = nowOf(deps);
  const queries = questions.map((question, index) =>
    queryOf(question, index, supportMode, (text) => answerFrom(text, reports), at),
  );
  const failed = queries.some((query) => query.status === 'FAILED');
  const inReview = supportMode === 'FULL_SUPPORT' && queries.some((query) => query.status === 'PROCESSING');
  const inquiry: Inquiry = {
    id,
    orgId,
    name: input.name,
    status: inReview ? 'HUMAN_REVIEW' : 'COMPLETED',
    statusMessage: inReview
      ? inquiryStatusMessages.humanReview
      : failed
        ? inquiryStatusMessages.completeWithErrors
        : inquiryStatusMessages.complete,
    inputSource: file ? 'FILE' : 'TEXT',
    supportMode,
    createdAt: at,
    updatedAt: at,
    createdBy: { userId: actor.id, ...(actor.email ? { email: actor.email } : {}) },
    queryCount: queries.length,
    chunks: 0,
    version: 1,
  };
  const chunks = chunked(queries);
  inquiry.chunks = chunks.length;
  const writes: WriteOp[] = [
    { kind: 'put', item: inquiryItem(inquiry), condition: { kind: 'notExists' } },
    ...chunks.map(
      (chunk, index): WriteOp => ({
        kind: 'put',
        item: chunkItem(inquiry, index, chunk, 1),
        condition: { kind: 'notExists' },
      }),
    ),
    ...tagOps,
    ...(claim
      ? [
          {
            kind: 'put',
            item: claimItem(claim, { inquiryId: id }, Math.floor(deps.clock.now().getTime() / 1000)),
            condition: { kind: 'notExists' },
          } satisfies WriteOp,
        ]
      : []),
  ];
  try {
    await deps.ledger.append({
      orgId,
      actor,
      action: 'inquiry:Created',
      subject: complianceInquiryArn(orgId, id),
      ...(caller.kind === 'principal' ? { accountId: caller.principal.accountId } : {}),
      details: {
        inquiryId: id,
        inputSource: inquiry.inputSource,
        supportMode,
        queryCount: queries.length,
        answered: queries.filter((query) => query.status === 'COMPLETED').length,
        cited: [...new Set(queries.flatMap((query) => query.citations.map((citation) => citation.reportId)))],
      },
      alsoWrite: writes,
    });
  } catch (error) {
    // A concurrent request with the same token won: answer what it made (or refuse a different input).
    if (claim && error instanceof ConditionFailedError) {
      const won = await replayOf(deps.store, claim);
      if (won?.inquiryId) return replayed(deps, orgId, won.inquiryId);
    }
    throw error;
  }
  return { inquiry, tags };
}
