import { Link } from 'react-router';
import { bundleDownloadUrl, type EvidenceBundle, useEvidenceBundles } from '../../api/evidence.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

export function stateLabel(bundle: EvidenceBundle): string {
  if (bundle.state === 'ready') return 'Ready';
  if (bundle.state === 'failed') return 'Failed';
  return `${bundle.state === 'queued' ? 'Queued' : 'Building'} (${bundle.progress.percent}%)`;
}

/** The history of the organization's evidence exports: who, when, purpose, size, recipients. */
export function EvidencePage() {
  const bundles = useEvidenceBundles();
  return (
    <Page
      title="Evidence bundles"
      actions={
        <>
          <Link className="button-secondary" to="/evidence/keys">
            Signing keys
          </Link>
          <Link className="button" to="/evidence/new">
            New evidence bundle
          </Link>
        </>
      }
    >
      <p className="lead">
        One file for an audit: chosen reports (watermarked for you), agreement coverage and audit-trail proofs, signed
        by the portal’s key and encrypted so only your organization — and the auditor whose public key you give — can
        open it. The auditor verifies it offline.
      </p>
      <Await query={bundles} what="evidence bundles">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              No bundle exported yet. <Link to="/evidence/new">Export the first one</Link>.
            </Empty>
          ) : (
            <DataTable
              caption="Evidence exports, newest first"
              columns={['Purpose', 'Requested by', 'Requested', 'State', 'Size', 'Recipients', 'File']}
              testId="bundles-table"
            >
              {items.map((bundle) => (
                <tr key={bundle.bundleId}>
                  <th scope="row">
                    <Link to={`/evidence/${bundle.bundleId}`}>{bundle.purpose}</Link>
                  </th>
                  <td>{bundle.requester.email}</td>
                  <td>{formatDateTime(bundle.createdAt)}</td>
                  <td>{stateLabel(bundle)}</td>
                  <td>{formatBytes(bundle.size)}</td>
                  <td>
                    {bundle.recipients.map((r) => (r === 'kms' ? 'organization (KMS)' : 'auditor RSA key')).join(', ')}
                  </td>
                  <td>
                    {bundle.state === 'ready' ? (
                      <a href={bundleDownloadUrl(bundle.bundleId)} download>
                        Download
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
    </Page>
  );
}
