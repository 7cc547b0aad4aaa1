import { Link, useParams } from 'react-router';
import { bundleDownloadUrl, useEvidenceBundle } from '../../api/evidence.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await } from '../../ui/states.js';
import { formatBytes, stateLabel } from './evidence-page.js';

/** One export: its progress while the job builds it, then the download and what the auditor needs. */
export function BundlePage() {
  const { id = '' } = useParams();
  const bundle = useEvidenceBundle(id);
  return (
    <Page title="Evidence bundle">
      <Await query={bundle} what="the bundle">
        {(b) => (
          <>
            <p className="lead">{b.purpose}</p>
            <div className="field">
              <span id="bundle-progress-label">
                {stateLabel(b)}: {b.progress.filesDone} of {b.progress.filesTotal || '…'} files
              </span>
              <progress
                aria-labelledby="bundle-progress-label"
                data-testid="bundle-progress"
                max={100}
                value={b.progress.percent}
              />
              <span data-testid="bundle-percent">{b.progress.percent}%</span>
            </div>
            {b.state === 'failed' ? (
              <p className="problem" role="alert">
                The export failed: {b.failure}
              </p>
            ) : null}
            {b.state === 'ready' ? (
              <p>
                <a className="button" href={bundleDownloadUrl(b.bundleId)} download data-testid="bundle-download">
                  Download {b.bundleId}.evb ({formatBytes(b.size)})
                </a>
              </p>
            ) : null}
            <dl className="facts">
              <dt>Bundle id</dt>
              <dd>
                <code>{b.bundleId}</code>
              </dd>
              <dt>Requested</dt>
              <dd>
                {formatDateTime(b.createdAt)} by {b.requester.email}
              </dd>
              <dt>Valid until</dt>
              <dd>{formatDateTime(b.expiresAt)}</dd>
              <dt>Recipients</dt>
              <dd>{b.recipients.join(', ')}</dd>
              {b.sha256 ? (
                <>
                  <dt>File SHA-256</dt>
                  <dd>
                    <code>{b.sha256}</code>
                  </dd>
                </>
              ) : null}
            </dl>
            <p>
              The auditor verifies it offline with the evidence verifier and the portal’s{' '}
              <Link to="/evidence/keys">signing key</Link>:{' '}
              <code>
                node evidence-verify.mjs verify {b.bundleId}.evb --public-key keys.json --decrypt-key auditor.pem
              </code>
            </p>
          </>
        )}
      </Await>
    </Page>
  );
}
