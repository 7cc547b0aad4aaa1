import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type ComplianceInquiryQuery,
  useExportInquiry,
  useInquiry,
  useInquiryQueries,
  usePutFeedback,
} from '../../api/compliance-inquiries.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';

function howAnswered(query: ComplianceInquiryQuery): string {
  if (query.response === undefined) return query.statusMessage;
  if (query.reviewType === 'HUMAN') return `Answered by the portal operator (revision ${query.responseRevisionId})`;
  return 'Found in the report catalog (not AI)';
}

function QueryCard({ inquiryId, query }: { inquiryId: string; query: ComplianceInquiryQuery }) {
  const feedback = usePutFeedback(inquiryId);
  const rate = (rating: 'THUMBS_UP' | 'THUMBS_DOWN') =>
    feedback.mutate({ queryIdentifier: query.queryIdentifier, rating, responseRevisionId: query.responseRevisionId });
  const headingId = `query-${query.queryIdentifier}`;
  return (
    <article className="card" aria-labelledby={headingId} data-testid="inquiry-query">
      <h3 id={headingId}>
        {query.queryIdentifier}. {query.query}
      </h3>
      {query.section ? <p className="field-hint">Section: {query.section}</p> : null}
      <p>{query.response ?? <em>{query.statusMessage}</em>}</p>
      <p className="field-hint">{howAnswered(query)}</p>
      {query.citations.length > 0 ? (
        <>
          <h4>Sources</h4>
          <ul data-testid="citations">
            {query.citations.map((citation) => (
              <li key={citation.reportId}>
                <Link to={citation.sourceLink}>{citation.sourceLabel}</Link>: {citation.sourceContent}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {query.response !== undefined ? (
        <fieldset className="form-actions">
          <legend className="visually-hidden">Rate answer {query.queryIdentifier}</legend>
          <button
            type="button"
            className="button-secondary"
            aria-pressed={query.myRating === 'THUMBS_UP'}
            disabled={feedback.isPending}
            onClick={() => rate('THUMBS_UP')}
          >
            Helpful
          </button>
          <button
            type="button"
            className="button-secondary"
            aria-pressed={query.myRating === 'THUMBS_DOWN'}
            disabled={feedback.isPending}
            onClick={() => rate('THUMBS_DOWN')}
          >
            Not helpful
          </button>
          {feedback.isSuccess ? <span role="status">Thanks: your rating is recorded.</span> : null}
        </fieldset>
      ) : null}
      {feedback.error ? <ProblemBanner error={feedback.error} /> : null}
    </article>
  );
}

/** One inquiry: its answers with their sources, ratings, and the PDF export. */
export function InquiryPage() {
  const { id = '' } = useParams();
  const inquiry = useInquiry(id);
  const inReview = inquiry.data?.status === 'HUMAN_REVIEW';
  const queries = useInquiryQueries(id, inReview);
  const exporter = useExportInquiry(id);
  const [withCitations, setWithCitations] = useState(true);
  return (
    <Page title="Compliance inquiry">
      <Await query={inquiry} what="the inquiry">
        {(i) => (
          <>
            <p className="lead">{i.name}</p>
            <dl className="facts">
              <div>
                <dt>Status</dt>
                <dd data-testid="inquiry-status">{i.statusMessage}</dd>
              </div>
              <div>
                <dt>Asked</dt>
                <dd>
                  {formatDateTime(i.createdAt)} by {i.createdBy.email ?? i.createdBy.userId}
                </dd>
              </div>
              <div>
                <dt>Questions</dt>
                <dd>{i.queryCount}</dd>
              </div>
              <div>
                <dt>Review</dt>
                <dd>{i.supportMode === 'FULL_SUPPORT' ? 'Human review by the portal operator' : 'Automatic'}</dd>
              </div>
              {i.tags && Object.keys(i.tags).length > 0 ? (
                <div>
                  <dt>Tags</dt>
                  <dd>
                    {Object.entries(i.tags)
                      .map(([key, value]) => `${key}=${value}`)
                      .join(', ')}
                  </dd>
                </div>
              ) : null}
            </dl>
            <div className="form-actions">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={withCitations}
                  onChange={(event) => setWithCitations(event.target.checked)}
                />
                Include sources
              </label>
              <button
                type="button"
                className="button-primary"
                disabled={exporter.isPending}
                onClick={() => exporter.mutate({ includeCitations: withCitations })}
              >
                Export as PDF
              </button>
              {exporter.data ? (
                <a href={exporter.data.url} data-testid="inquiry-export-link" download>
                  Download the PDF (link valid {Math.round(exporter.data.expiresInSeconds / 60)} minutes)
                </a>
              ) : null}
            </div>
            {exporter.error ? <ProblemBanner error={exporter.error} /> : null}
          </>
        )}
      </Await>
      <h2>Answers</h2>
      <Await query={queries} what="the answers">
        {({ items }) => (
          <div className="cards">
            {items.map((query) => (
              <QueryCard key={query.queryIdentifier} inquiryId={id} query={query} />
            ))}
          </div>
        )}
      </Await>
    </Page>
  );
}
