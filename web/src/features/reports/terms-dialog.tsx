import { useState } from 'react';
import { downloadUrl, useAcceptReportTerms, useReportTerms } from '../../api/reports.js';
import type { Report } from '../../api/types.js';
import { Dialog } from '../../ui/dialog.js';
import { shortHash } from '../../ui/format.js';
import { LoadFailed, Loading, ProblemBanner } from '../../ui/states.js';

/**
 * The terms a version is shared under, then the download. EXPLICIT terms need the box ticked; the
 * acceptance names the revision shown (a changed one is refused, 409). The download is a navigation.
 */
export function TermsDialog({ report, version, onClose }: { report: Report; version: number; onClose: () => void }) {
  const terms = useReportTerms(report.id, version);
  const accept = useAcceptReportTerms(report.id, version);
  const [agreed, setAgreed] = useState(false);
  const [started, setStarted] = useState(false);
  const explicit = terms.data?.acceptanceType === 'EXPLICIT';
  const needsTick = explicit && !terms.data?.accepted;

  const download = async () => {
    if (!terms.data) return;
    try {
      const token = await accept.mutateAsync(terms.data.revisionId);
      setStarted(true);
      window.location.assign(downloadUrl(report.id, version, token.termToken));
    } catch {
      /* shown below */
    }
  };

  return (
    <Dialog title={`Terms for ${report.name}, version ${version}`} open onClose={onClose} wide>
      {terms.isPending ? (
        <Loading what="the terms" />
      ) : terms.error || !terms.data ? (
        <LoadFailed error={terms.error} what="the terms" onRetry={() => terms.refetch()} />
      ) : (
        <div className="terms">
          <h3>{terms.data.title}</h3>
          <p className="muted">
            Revision <code>{terms.data.revisionId}</code> · SHA-256{' '}
            <code title={terms.data.sha256}>{shortHash(terms.data.sha256, 16)}</code>
            {terms.data.reacceptAfterDays ? ` · accepted again every ${terms.data.reacceptAfterDays} days` : ''}
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
          <section className="terms-text" tabIndex={0} aria-label="Terms text">
            {terms.data.text}
          </section>
          {terms.data.accepted ? (
            <p className="notice" role="status">
              You have accepted these terms; your acceptance still stands. Each copy is watermarked with your name,
              account and a download id.
            </p>
          ) : explicit ? (
            <label className="checkbox">
              <input type="checkbox" checked={agreed} onChange={(event) => setAgreed(event.target.checked)} />I have
              read these terms and accept them for my use of this report.
            </label>
          ) : (
            <p>These terms apply by downloading: no separate acceptance is needed.</p>
          )}
          {accept.error && <ProblemBanner error={accept.error} />}
          {started && (
            <p className="notice" role="status">
              Your download has started. It also appears under My downloads.
            </p>
          )}
          <div className="form-actions">
            <button
              type="button"
              className="button-primary"
              disabled={(needsTick && !agreed) || accept.isPending}
              onClick={download}
            >
              {accept.isPending ? 'Preparing…' : terms.data.accepted || !explicit ? 'Download' : 'Accept and download'}
            </button>
            <button type="button" className="button-secondary" onClick={onClose}>
              {started ? 'Close' : 'Cancel'}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
