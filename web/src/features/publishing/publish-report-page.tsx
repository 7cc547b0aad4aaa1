import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCreateReportVersion, useFinalizeReportVersion } from '../../api/publishing.js';
import { useReport, useReportVersions } from '../../api/reports.js';
import type { Report, ReportVersion } from '../../api/types.js';
import { uploadWithProgress } from '../../api/upload.js';
import { SelectField, TextField } from '../../ui/field.js';
import { useFormState } from '../../ui/form-state.js';
import { formatBytes, formatDate, shortHash } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

export function PublishReportPage() {
  const { id = '' } = useParams();
  const report = useReport(id);
  return (
    <Await query={report} what="the report">
      {(data) => <PublishReport report={data} />}
    </Await>
  );
}

type Stage = 'idle' | 'registering' | 'uploading' | 'validating' | 'done' | 'failed';

/** A new version: register it (JSON), PUT the PDF to its presigned URL (with progress), then validate it. */
function PublishReport({ report }: { report: Report }) {
  const versions = useReportVersions(report.id);
  const createVersion = useCreateReportVersion(report.id);
  const finalize = useFinalizeReportVersion(report.id);
  const { form, field } = useFormState({
    periodStart: '',
    periodEnd: '',
    effectiveDate: '',
    termsRevisionId: report.latest?.termsRevisionId ?? '',
    acceptanceType: report.latest?.acceptanceType ?? 'EXPLICIT',
  });
  const [file, setFile] = useState<File | undefined>();
  const [stage, setStage] = useState<Stage>('idle');
  const [progress, setProgress] = useState(0);
  const [failure, setFailure] = useState<unknown>();
  const [result, setResult] = useState<ReportVersion | undefined>();

  const submit = async () => {
    if (!file) return;
    setFailure(undefined);
    setResult(undefined);
    setProgress(0);
    try {
      setStage('registering');
      const created = await createVersion.mutateAsync({
        ...form,
        acceptanceType: form.acceptanceType as 'EXPLICIT' | 'PASSTHROUGH',
        expectedSequence: report.sequence,
      });
      setStage('uploading');
      await uploadWithProgress(created.upload, file, setProgress);
      setStage('validating');
      const validated = await finalize.mutateAsync(created.version.version);
      setResult(validated);
      setStage(validated.uploadState === 'COMPLETE' ? 'done' : 'failed');
      await versions.refetch();
    } catch (error) {
      setFailure(error);
      setStage('failed');
    }
  };
  const busy = stage === 'registering' || stage === 'uploading' || stage === 'validating';
  return (
    <Page title={`Publish: ${report.name}`}>
      <p>
        <Link to="/publishing">← Publishing</Link> · <Link to={`/reports/${report.id}`}>See it as customers do</Link>
      </p>
      <section className="panel" aria-labelledby="new-version">
        <h2 id="new-version">Upload a new version</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="filter-row">
            <TextField label="Period start" type="date" required {...field('periodStart', failure)} />
            <TextField label="Period end" type="date" required {...field('periodEnd', failure)} />
            <TextField label="Effective date" type="date" required {...field('effectiveDate', failure)} />
          </div>
          <div className="filter-row">
            <TextField
              label="Terms revision"
              hint="The id of a published terms revision (the latest version’s is filled in)."
              required
              {...field('termsRevisionId', failure)}
            />
            <SelectField label="Acceptance" {...field('acceptanceType')}>
              <option value="EXPLICIT">Explicit: customers tick a box</option>
              <option value="PASSTHROUGH">By downloading</option>
            </SelectField>
          </div>
          <div className="field">
            <label htmlFor="version-file">PDF file</label>
            <input
              id="version-file"
              type="file"
              accept="application/pdf,.pdf"
              required
              onChange={(event) => setFile(event.target.files?.[0])}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy || !file}>
              {busy ? 'Publishing…' : 'Upload and publish'}
            </button>
          </div>
        </form>
        {stage !== 'idle' && (
          <div className="upload-status" aria-live="polite">
            <p>
              {stage === 'registering' && 'Registering the version…'}
              {stage === 'uploading' && `Uploading ${file?.name ?? ''}…`}
              {stage === 'validating' && 'Uploaded. Validating the PDF…'}
            </p>
            {(stage === 'uploading' || stage === 'validating' || stage === 'done') && (
              <div className="field">
                <label htmlFor="upload-progress">Upload progress</label>
                <progress id="upload-progress" max={1} value={progress}>
                  {Math.round(progress * 100)}%
                </progress>
              </div>
            )}
          </div>
        )}
        {result && (
          <div
            className={result.uploadState === 'COMPLETE' ? 'notice' : 'problem'}
            role="status"
            data-testid="validation-result"
          >
            {result.uploadState === 'COMPLETE' ? (
              <p>
                <strong>Version {result.version} is published.</strong> {result.pageCount} pages,{' '}
                {formatBytes(result.size)}, SHA-256 <code>{shortHash(result.sha256, 16)}</code>. {result.statusMessage}
              </p>
            ) : (
              <p>
                <strong>Version {result.version} was refused:</strong> {result.statusMessage} Customers do not see it.
              </p>
            )}
          </div>
        )}
        {failure !== undefined && <ProblemBanner error={failure} />}
      </section>
      <h2>Versions</h2>
      <Await query={versions} what="the versions">
        {(data) => (
          <DataTable
            caption="Versions, newest first"
            columns={['Version', 'Period', 'State', 'Validation']}
            testId="publisher-versions"
          >
            {data.items.map((version) => (
              <tr key={version.version}>
                <th scope="row">v{version.version}</th>
                <td>
                  {formatDate(version.periodStart)} – {formatDate(version.periodEnd)}
                </td>
                <td>{version.uploadState}</td>
                <td>{version.statusMessage}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Await>
    </Page>
  );
}
