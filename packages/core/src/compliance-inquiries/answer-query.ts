import { actorOfCaller, type Caller } from '../access/caller.js';
import { complianceInquiryArn } from '../access/resources.js';
import { commonErrors } from '../error-codes.js';
import { ValidationError } from '../errors.js';
import { parseInput } from '../input.js';
import { retryOnRace } from '../ports/retry-on-race.js';
import type { WriteOp } from '../ports/store.js';
import { isPublishedToCustomers } from '../reports/report-model.js';
import { excerptOf, sourceLabelOf } from './catalog-retrieval.js';
import { type InquiryDeps, maxWriteAttempts, nowOf } from './inquiry-deps.js';
import { inquiryErrors } from './inquiry-errors.js';
import {
  type Inquiry,
  type InquiryCitation,
  type InquiryQuery,
  inquiryStatusMessages,
  maxResponseVersions,
  queryStatusMessages,
  responseRevisionOf,
} from './inquiry-model.js';
import { chunkItem, chunkOf, inquiryItem, readChunk, readInquiry, readQueries } from './inquiry-records.js';
import { type AnswerQueryInput, answerQueryInput } from './inquiry-schemas.js';
import { requireOperatorReview } from './operator-review.js';

/**
 * The operator answers one query of a FULL_SUPPORT inquiry: the answer becomes the response
 * (reviewType HUMAN), is appended to `updatedResponseVersions` and so bumps the response revision;
 * when no query waits any more the inquiry is COMPLETED. Chunk, inquiry and `inquiry:Answered` (in
 * the asking organization's ledger, naming the operator) are one transaction.
 */
export async function answerQuery(
  deps: InquiryDeps,
  caller: Caller,
  raw: AnswerQueryInput,
): Promise<{ inquiry: Inquiry; query: InquiryQuery }> {
  const input = parseInput(answerQueryInput, raw);
  await requireOperatorReview(deps, caller, input.orgId, input.inquiryId);
  const catalog = input.reportIds?.length ? await deps.catalog() : [];
  const citations: InquiryCitation[] = (input.reportIds ?? []).map((reportId, index) => {
    const report = catalog.find((entry) => entry.id === reportId && isPublishedToCustomers(entry));
    if (!report) {
      throw new ValidationError(`No published report ${reportId}.`, [
        { path: `reportIds.${index}`, message: 'not a published report' },
      ]);
    }
    return {
      reportId,
      ...(report.latest ? { version: report.latest.version } : {}),
      sourceLabel: sourceLabelOf(report),
      sourceContent: excerptOf(report),
    };
  });
  const actor = actorOfCaller(caller);
  return retryOnRace(
    async () => {
      const inquiry = await readInquiry(deps.store, input.orgId, input.inquiryId, true);
      if (inquiry.supportMode !== 'FULL_SUPPORT') {
        throw inquiryErrors.error(
          'not_in_human_review',
          `Compliance inquiry ${inquiry.id} did not ask for human review.`,
        );
      }
      const chunk = chunkOf(input.queryIdentifier);
      const { queries, version } = await readChunk(deps.store, inquiry, chunk);
      const index = queries.findIndex((query) => query.queryIdentifier === input.queryIdentifier);
      const current = queries[index];
      if (!current)
        throw new ValidationError(`No query ${input.queryIdentifier}.`, [
          { path: 'queryIdentifier', message: 'no such query' },
        ]);
      if (current.status === 'FAILED') {
        throw inquiryErrors.error(
          'not_in_human_review',
          `Query ${current.queryIdentifier} failed (${current.statusMessage}).`,
        );
      }
      if (current.updatedResponseVersions.length >= maxResponseVersions) {
        throw inquiryErrors.error(
          'too_many_versions',
          `Query ${current.queryIdentifier} has ${maxResponseVersions} answers already.`,
        );
      }
      const at = nowOf(deps);
      const answered: InquiryQuery = {
        ...current,
        response: input.response,
        reviewType: 'HUMAN',
        citations,
        status: 'COMPLETED',
        statusMessage: queryStatusMessages.complete,
        updatedResponseVersions: [
          ...current.updatedResponseVersions,
          { responseText: input.response, timestamp: at, answeredBy: actor.email ?? actor.id },
        ],
      };
      const nextChunk = queries.map((query, i) => (i === index ? answered : query));
      const all = (await readQueries(deps.store, inquiry)).map((query) =>
        query.queryIdentifier === answered.queryIdentifier ? answered : query,
      );
      const waiting = all.some((query) => query.status === 'PROCESSING');
      const failed = all.some((query) => query.status === 'FAILED');
      const next: Inquiry = {
        ...inquiry,
        status: waiting ? 'HUMAN_REVIEW' : 'COMPLETED',
        statusMessage: waiting
          ? inquiryStatusMessages.humanReview
          : failed
            ? inquiryStatusMessages.completeWithErrors
            : inquiryStatusMessages.complete,
        updatedAt: at,
        version: inquiry.version + 1,
      };
      const writes: WriteOp[] = [
        {
          kind: 'put',
          item: chunkItem(inquiry, chunk, nextChunk, version + 1),
          condition: { kind: 'equals', attribute: 'version', value: version },
        },
        {
          kind: 'put',
          item: inquiryItem(next),
          condition: { kind: 'equals', attribute: 'version', value: inquiry.version },
        },
      ];
      await deps.ledger.append({
        orgId: inquiry.orgId,
        actor,
        action: 'inquiry:Answered',
        subject: complianceInquiryArn(inquiry.orgId, inquiry.id),
        details: {
          inquiryId: inquiry.id,
          queryIdentifier: answered.queryIdentifier,
          responseRevisionId: responseRevisionOf(answered),
          answeredByOrg: caller.kind === 'principal' ? caller.principal.orgId : caller.orgId,
          cited: citations.map((citation) => citation.reportId),
        },
        alsoWrite: writes,
      });
      return { inquiry: next, query: answered };
    },
    {
      attempts: maxWriteAttempts,
      exhausted: () => commonErrors.error('concurrent_change', 'The inquiry changed concurrently; retry.'),
    },
  );
}
