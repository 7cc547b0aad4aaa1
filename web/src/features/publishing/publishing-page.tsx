import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAgreements } from '../../api/agreements.js';
import { resources, usePermissions } from '../../api/permissions.js';
import {
  useCreateAgreement,
  useCreateReport,
  usePublishAgreementRevision,
  usePublishTerms,
} from '../../api/publishing.js';
import { useReports } from '../../api/reports.js';
import { useMe } from '../../api/session.js';
import { Choices, errorsFor, SelectField, TextField } from '../../ui/field.js';
import { useFormState } from '../../ui/form-state.js';
import { formatDate } from '../../ui/format.js';
import { NotAllowed } from '../../ui/not-allowed.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, Loading, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { PublisherGrants } from './publisher-grants.js';

/** For publisher organizations: reports and their versions, terms, agreements and revisions. */
export function PublishingPage() {
  const permissions = usePermissions([
    { action: 'portal:PublishReport', resource: resources.anyReport },
    { action: 'portal:PublishAgreement', resource: resources.anyAgreement },
    { action: 'portal:ManagePublishers', resource: resources.anyPublisher },
  ]);
  if (permissions.isPending) return <Loading what="your access" />;
  const reports = permissions.allowed(0) === true;
  const agreements = permissions.allowed(1) === true;
  const grants = permissions.allowed(2) === true;
  if (!reports && !agreements && !grants)
    return <NotAllowed what="publishing" detail={permissions.answerOf(0)?.reason} />;
  return (
    <Page title="Publishing">
      <p className="lead">
        What you publish here reaches every customer organization whose policies allow it. Versions and revisions are
        immutable once published; customers are asked to accept new terms again.
      </p>
      {reports && (
        <>
          <MyReports />
          <div className="two-columns">
            <CreateReport />
            <PublishTerms />
          </div>
        </>
      )}
      {agreements && (
        <div className="two-columns">
          <CreateAgreement />
          <PublishRevision />
        </div>
      )}
      {grants && <PublisherGrants />}
    </Page>
  );
}

function MyReports() {
  const me = useMe();
  const catalog = useReports({});
  return (
    <section className="panel" aria-labelledby="my-reports">
      <h2 id="my-reports">Reports you publish</h2>
      <Await query={catalog} what="your reports">
        {(page) => {
          const mine = page.items.filter((r) => r.publisherOrgId === me.data?.organization.orgId);
          return mine.length === 0 ? (
            <Empty>Your organization has not published a report yet.</Empty>
          ) : (
            <DataTable
              caption="Your reports"
              columns={['Report', 'Versions', 'Latest period end']}
              actions
              testId="published-reports"
            >
              {mine.map((report) => (
                <tr key={report.id}>
                  <th scope="row">{report.name}</th>
                  <td>{report.versionCount}</td>
                  <td>{formatDate(report.latest?.periodEnd)}</td>
                  <td>
                    <Link to={`/publishing/reports/${report.id}`}>
                      Upload a new version<span className="visually-hidden"> of {report.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </DataTable>
          );
        }}
      </Await>
    </section>
  );
}

function CreateReport() {
  const create = useCreateReport();
  const navigate = useNavigate();
  const { form, setForm, field } = useFormState({
    name: '',
    description: '',
    category: '',
    series: '',
    company: '',
    thirdParty: false,
  });
  return (
    <section className="panel" aria-labelledby="create-report">
      <h2 id="create-report">Create a report</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            const report = await create.mutateAsync({ ...form, state: 'PUBLISHED' });
            navigate(`/publishing/reports/${report.id}`);
          } catch {
            /* shown below */
          }
        }}
      >
        <TextField label="Name" required {...field('name', create.error)} />
        <TextField label="Description" {...field('description')} />
        <TextField label="Category" hint="e.g. SOC, ISO, PCI" required {...field('category', create.error)} />
        <TextField label="Series" hint="e.g. SOC 2 Type II" required {...field('series', create.error)} />
        <TextField label="Company" required {...field('company', create.error)} />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.thirdParty}
            onChange={(e) => setForm({ ...form, thirdParty: e.target.checked })}
          />
          A third-party report (about another company’s service)
        </label>
        {create.error && <ProblemBanner error={create.error} />}
        <button type="submit" className="button-primary" disabled={create.isPending}>
          Create report
        </button>
      </form>
    </section>
  );
}

function PublishTerms() {
  const publish = usePublishTerms();
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [days, setDays] = useState('');
  return (
    <section className="panel" aria-labelledby="publish-terms">
      <h2 id="publish-terms">Publish terms</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          publish.mutate({ title, text, ...(days ? { reacceptAfterDays: Number(days) } : {}) });
        }}
      >
        <TextField
          label="Title"
          required
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          errors={errorsFor(publish.error, 'title')}
        />
        <div className="field">
          <label htmlFor="terms-text">Text</label>
          <textarea id="terms-text" rows={6} required value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <TextField
          label="Ask again after (days, optional)"
          type="number"
          min={1}
          max={3650}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        {publish.error && <ProblemBanner error={publish.error} />}
        {publish.data && (
          <p className="notice" role="status">
            Published revision <code>{publish.data.revisionId}</code> (SHA-256{' '}
            <code>{publish.data.sha256.slice(0, 16)}…</code>). Use its id for new versions.
          </p>
        )}
        <button type="submit" className="button-primary" disabled={publish.isPending}>
          Publish terms
        </button>
      </form>
    </section>
  );
}

function CreateAgreement() {
  const create = useCreateAgreement();
  const { form, set, field } = useFormState({ name: '', description: '', type: 'custom', ndaText: '' });
  const [subjects, setSubjects] = useState<Array<'account' | 'organization'>>(['account', 'organization']);
  return (
    <section className="panel" aria-labelledby="create-agreement">
      <h2 id="create-agreement">Create an agreement</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({
            name: form.name,
            description: form.description,
            type: form.type as 'BAA' | 'DPA' | 'addendum' | 'custom',
            subjects,
            ...(form.ndaText.trim() ? { ndaText: form.ndaText } : {}),
          });
        }}
      >
        <TextField label="Name" required {...field('name', create.error)} />
        <TextField label="Description" {...field('description')} />
        <SelectField label="Type" {...field('type')}>
          <option value="BAA">BAA</option>
          <option value="DPA">DPA</option>
          <option value="addendum">Addendum</option>
          <option value="custom">Other</option>
        </SelectField>
        <fieldset>
          <legend>Accepted by</legend>
          {(['account', 'organization'] as const).map((subject) => (
            <label key={subject} className="checkbox">
              <input
                type="checkbox"
                checked={subjects.includes(subject)}
                onChange={(e) =>
                  setSubjects(e.target.checked ? [...subjects, subject] : subjects.filter((s) => s !== subject))
                }
              />
              {subject === 'account' ? 'one account' : 'a whole organization'}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="agreement-nda">NDA shown before the text (optional)</label>
          <textarea id="agreement-nda" rows={3} value={form.ndaText} onChange={set('ndaText')} />
        </div>
        {create.error && <ProblemBanner error={create.error} />}
        {create.data && (
          <p className="notice" role="status">
            Created {create.data.name}. Publish its first revision to make it acceptable.
          </p>
        )}
        <button type="submit" className="button-primary" disabled={create.isPending}>
          Create agreement
        </button>
      </form>
    </section>
  );
}

function PublishRevision() {
  const agreements = useAgreements();
  const publish = usePublishAgreementRevision();
  const [id, setId] = useState('');
  const [effectiveDate, setEffectiveDate] = useState('');
  const [markdown, setMarkdown] = useState('');
  return (
    <section className="panel" aria-labelledby="publish-revision">
      <h2 id="publish-revision">Publish a revision</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          publish.mutate({ id, effectiveDate, markdown });
        }}
      >
        <SelectField label="Agreement" required value={id} onChange={(e) => setId(e.target.value)}>
          <Choices
            none="Choose"
            options={(agreements.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
          />
        </SelectField>
        <TextField
          label="Effective date"
          type="date"
          required
          value={effectiveDate}
          onChange={(e) => setEffectiveDate(e.target.value)}
          errors={errorsFor(publish.error, 'effectiveDate')}
        />
        <div className="field">
          <label htmlFor="revision-text">Text (Markdown)</label>
          <textarea
            id="revision-text"
            rows={6}
            required
            value={markdown}
            onChange={(e) => setMarkdown(e.target.value)}
          />
        </div>
        {publish.error && <ProblemBanner error={publish.error} />}
        {publish.data && (
          <p className="notice" role="status">
            Published revision <code>{publish.data.id}</code>; existing acceptances now show a newer revision.
          </p>
        )}
        <button type="submit" className="button-primary" disabled={publish.isPending}>
          Publish revision
        </button>
      </form>
    </section>
  );
}
