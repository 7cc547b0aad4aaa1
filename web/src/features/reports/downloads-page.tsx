import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { resources, usePermissions } from '../../api/permissions.js';
import { useDownloadTrace, useMyDownloads } from '../../api/reports.js';
import { CursorPager, useCursor } from '../../ui/cursor-pager.js';
import { TextField } from '../../ui/field.js';
import { formatDateTime, shortHash } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

export function DownloadsPage() {
  const cursor = useCursor();
  const downloads = useMyDownloads(cursor);
  const permissions = usePermissions([{ action: 'portal:GetDownload', resource: resources.anyDownload }]);
  return (
    <Page title="My downloads">
      <p className="lead">Every copy you downloaded, with the download id printed on each of its pages.</p>
      <Await query={downloads} what="your downloads">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              You have not downloaded a report yet. <Link to="/reports">Find a report</Link>.
            </Empty>
          ) : (
            <>
              <DataTable
                caption="Your downloads, newest first"
                columns={['Report', 'Version', 'Downloaded', 'Download id', 'Copy SHA-256']}
                testId="downloads-table"
              >
                {page.items.map((download) => (
                  <tr key={download.downloadId}>
                    <th scope="row">
                      <Link to={`/reports/${download.reportId}`}>{download.reportName}</Link>
                    </th>
                    <td>v{download.version}</td>
                    <td>{formatDateTime(download.downloadedAt)}</td>
                    <td>
                      {permissions.allowed(0) ? (
                        <Link to={`/downloads/trace?id=${download.downloadId}`}>
                          <code>{download.downloadId}</code>
                        </Link>
                      ) : (
                        <code>{download.downloadId}</code>
                      )}
                    </td>
                    <td>
                      <code title={download.deliveredSha256}>{shortHash(download.deliveredSha256)}</code>
                    </td>
                  </tr>
                ))}
              </DataTable>
              <CursorPager nextCursor={page.nextCursor} label="Downloads" />
            </>
          )
        }
      </Await>
    </Page>
  );
}

/** Leak trace-back: the id on a leaked page resolves to who downloaded it, when, under which terms. */
export function TracePage() {
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? undefined;
  const [value, setValue] = useState(id ?? '');
  const trace = useDownloadTrace(id);
  return (
    <Page title="Trace a download">
      <p className="lead">
        Every page of a downloaded copy carries its download id. Enter one to see who downloaded it, when and under
        which accepted terms.
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setParams(value.trim() ? { id: value.trim() } : {});
        }}
      >
        <TextField
          label="Download id"
          name="downloadId"
          placeholder="dl-…"
          required
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" className="button-primary">
          Trace
        </button>
      </form>
      {id && (
        <Await query={trace} what="the download record">
          {(found) => (
            <dl className="facts" data-testid="trace-result">
              <div>
                <dt>Downloaded by</dt>
                <dd>
                  {found.download.displayName} &lt;{found.download.email}&gt;, account {found.download.accountId}
                </dd>
              </div>
              <div>
                <dt>When</dt>
                <dd>{formatDateTime(found.download.downloadedAt)}</dd>
              </div>
              <div>
                <dt>Report</dt>
                <dd>
                  {found.download.reportName}, version {found.download.version}
                </dd>
              </div>
              <div>
                <dt>Under terms</dt>
                <dd>
                  <code>{found.download.termsRevisionId}</code>
                  {found.acceptance && <> accepted {formatDateTime(found.acceptance.acceptedAt)}</>}
                </dd>
              </div>
              <div>
                <dt>Copy SHA-256</dt>
                <dd>
                  <code>{found.download.deliveredSha256}</code>
                </dd>
              </div>
            </dl>
          )}
        </Await>
      )}
    </Page>
  );
}
