import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type ComplianceInquiryQuery,
  useAnswerQuery,
  useReview,
  useReviewQueue,
} from '../../api/compliance-inquiries.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

/** The portal operator's queue: inquiries of every organization that asked for human review, oldest first. */
export function ReviewQueuePage() {
  const queue = useReviewQueue();
  return (
    <Page title="Human review">
      <p className="lead">
        Questionnaires whose organizations asked for human review. Each answer you give is shown to them as reviewed by
        the portal operator, and every new answer is a new revision.
      </p>
      <Await query={queue} what="the review queue">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>Nothing waits for review.</Empty>
          ) : (
            <DataTable
              caption="Inquiries waiting for human review, oldest first"
              columns={['Title', 'Organization', 'Asked', 'Questions']}
              testId="review-queue"
            >
              {items.map((inquiry) => (
                <tr key={`${inquiry.orgId}/${inquiry.id}`}>
                  <th scope="row">
                    <Link to={`/inquiries/review/${inquiry.orgId}/${inquiry.id}`}>{inquiry.name}</Link>
                  </th>
                  <td>{inquiry.orgId}</td>
                  <td>{formatDateTime(inquiry.createdAt)}</td>
                  <td>{inquiry.queryCount}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
    </Page>
  );
}

function AnswerForm({ orgId, id, query }: { orgId: string; id: string; query: ComplianceInquiryQuery }) {
  const answer = useAnswerQuery(orgId, id);
  const [text, setText] = useState(query.response ?? '');
  const fieldId = `answer-${query.queryIdentifier}`;
  return (
    <article className="card" data-testid="review-query" aria-labelledby={`${fieldId}-question`}>
      <h3 id={`${fieldId}-question`}>
        {query.queryIdentifier}. {query.query}
      </h3>
      <p className="field-hint">
        {query.statusMessage}
        {query.responseRevisionId > 0 ? ` (revision ${query.responseRevisionId})` : ''}
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          answer.mutate({ queryIdentifier: query.queryIdentifier, response: text });
        }}
      >
        <div className="field">
          <label htmlFor={fieldId}>Answer to question {query.queryIdentifier}</label>
          <textarea
            id={fieldId}
            value={text}
            rows={3}
            maxLength={2048}
            required
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <button type="submit" className="button-primary" disabled={answer.isPending || query.status === 'FAILED'}>
          {query.response === undefined ? 'Answer' : 'Revise the answer'}
        </button>
        {answer.isSuccess ? (
          <span role="status"> Saved as revision {answer.data.query.responseRevisionId}.</span>
        ) : null}
      </form>
      {answer.error ? <ProblemBanner error={answer.error} /> : null}
    </article>
  );
}

/** One inquiry in review: every query, answered (or revised) one by one. */
export function ReviewPage() {
  const { orgId = '', id = '' } = useParams();
  const review = useReview(orgId, id);
  return (
    <Page title="Review an inquiry">
      <Await query={review} what="the inquiry">
        {({ inquiry, queries }) => (
          <>
            <p className="lead">
              {inquiry.name} ({inquiry.orgId}): <span data-testid="review-status">{inquiry.statusMessage}</span>
            </p>
            <div className="cards">
              {queries.map((query) => (
                <AnswerForm key={query.queryIdentifier} orgId={orgId} id={id} query={query} />
              ))}
            </div>
            <p>
              <Link to="/inquiries/review">Back to the queue</Link>
            </p>
          </>
        )}
      </Await>
    </Page>
  );
}
