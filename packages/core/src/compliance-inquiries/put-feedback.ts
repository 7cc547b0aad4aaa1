import { actorOfCaller, type Caller, orgOf } from '../access/caller.js';
import { complianceInquiryArn } from '../access/resources.js';
import { ConditionFailedError, NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import type { WriteOp } from '../ports/store.js';
import { claimItem, claimOf, replayOf } from './client-tokens.js';
import { type InquiryDeps, nowOf } from './inquiry-deps.js';
import { inquiryErrors } from './inquiry-errors.js';
import { inquiryKeys } from './inquiry-keys.js';
import { type InquiryFeedback, responseRevisionOf } from './inquiry-model.js';
import { chunkOf, readChunk } from './inquiry-records.js';
import { type PutFeedbackInput, putFeedbackInput } from './inquiry-schemas.js';
import { authorizedInquiry } from './read-inquiry.js';

/**
 * PutComplianceInquiryFeedback: a rating of one query's answer (or of the whole inquiry), with reason
 * codes and a comment. `responseRevisionId`, when given, must be the answer's current revision (the
 * number of operator answers it has had): a stale one is a ConflictException, so nobody rates an
 * answer they did not see. The record, the token claim and `inquiry:FeedbackSubmitted` are one
 * transaction; the same clientToken with the same input answers the first submission's time.
 */
export async function putFeedback(
  deps: InquiryDeps,
  caller: Caller,
  raw: PutFeedbackInput,
): Promise<{ submittedAt: string; feedbackId: string }> {
  const input = parseInput(putFeedbackInput, raw);
  const orgId = orgOf(caller);
  const actor = actorOfCaller(caller);
  const inquiry = await authorizedInquiry(deps, caller, 'portal:PutComplianceInquiryFeedback', input.inquiryId, true);
  const { clientToken, ...rest } = input;
  const claim = clientToken ? claimOf(orgId, actor.id, 'feedback', clientToken, rest) : undefined;
  const replay = await replayOf(deps.store, claim);
  if (replay?.submittedAt && replay.feedbackId)
    return { submittedAt: replay.submittedAt, feedbackId: replay.feedbackId };

  const writes: WriteOp[] = [];
  if (input.queryIdentifier !== undefined) {
    const chunk = chunkOf(input.queryIdentifier);
    const { queries, version } = await readChunk(deps.store, inquiry, chunk);
    const query = queries.find((entry) => entry.queryIdentifier === input.queryIdentifier);
    if (!query || input.queryIdentifier > inquiry.queryCount) {
      throw new NotFoundError(`No query ${input.queryIdentifier} in compliance inquiry ${inquiry.id}.`);
    }
    if (query.response === undefined) {
      throw inquiryErrors.error('no_response_yet', `Query ${query.queryIdentifier} has no answer yet to rate.`);
    }
    const current = responseRevisionOf(query);
    if (input.responseRevisionId !== undefined && input.responseRevisionId !== current) {
      throw inquiryErrors.error(
        'stale_response',
        `The answer to query ${query.queryIdentifier} is at revision ${current}, not ${input.responseRevisionId}: read it again.`,
      );
    }
    // The rating holds only if the answer is still the one rated when the record commits.
    writes.push({
      kind: 'check',
      key: inquiryKeys.chunk(orgId, inquiry.id, chunk),
      condition: { kind: 'equals', attribute: 'version', value: version },
    });
  }
  const submittedAt = nowOf(deps);
  const feedbackId = `fb-${deps.ids.newId()}`;
  const record: InquiryFeedback = {
    feedbackId,
    inquiryId: inquiry.id,
    ...(input.queryIdentifier !== undefined ? { queryIdentifier: input.queryIdentifier } : {}),
    rating: input.rating,
    ...(input.responseRevisionId !== undefined ? { responseRevisionId: input.responseRevisionId } : {}),
    reasonCodes: input.reasonCodes ?? [],
    ...(input.comment ? { comment: input.comment } : {}),
    submittedAt,
    submittedBy: { userId: actor.id, ...(actor.email ? { email: actor.email } : {}) },
  };
  writes.push({
    kind: 'put',
    item: { ...inquiryKeys.feedback(orgId, inquiry.id, submittedAt, feedbackId), data: JSON.stringify(record) },
    condition: { kind: 'notExists' },
  });
  if (claim) {
    writes.push({
      kind: 'put',
      item: claimItem(claim, { submittedAt, feedbackId }, Math.floor(deps.clock.now().getTime() / 1000)),
      condition: { kind: 'notExists' },
    });
  }
  try {
    await deps.ledger.append({
      orgId,
      actor,
      action: 'inquiry:FeedbackSubmitted',
      subject: complianceInquiryArn(orgId, inquiry.id),
      details: {
        inquiryId: inquiry.id,
        feedbackId,
        rating: input.rating,
        ...(input.queryIdentifier !== undefined ? { queryIdentifier: input.queryIdentifier } : {}),
        ...(input.responseRevisionId !== undefined ? { responseRevisionId: input.responseRevisionId } : {}),
        reasonCodes: record.reasonCodes,
      },
      alsoWrite: writes,
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    if (claim) {
      const won = await replayOf(deps.store, claim);
      if (won?.submittedAt && won.feedbackId) return { submittedAt: won.submittedAt, feedbackId: won.feedbackId };
    }
    throw inquiryErrors.error('stale_response', 'The answer changed while the rating was submitted: read it again.', {
      cause: error,
    });
  }
  return { submittedAt, feedbackId };
}
