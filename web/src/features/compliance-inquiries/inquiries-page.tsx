import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { fileAsBase64, useCreateInquiry, useInquiries } from '../../api/compliance-inquiries.js';
import { errorsFor, TextField } from '../../ui/field.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

/** Ask a question or upload a questionnaire; the organization's inquiries, newest first. */
export function InquiriesPage() {
  const inquiries = useInquiries();
  const create = useCreateInquiry();
  const navigate = useNavigate();
  const [mode, setMode] = useState<'text' | 'file'>('text');
  const [name, setName] = useState('');
  const [question, setQuestion] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [sections, setSections] = useState('');
  const [humanReview, setHumanReview] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fileSections = sections
      .split(',')
      .map((section) => section.trim())
      .filter(Boolean);
    const inquiryContent =
      mode === 'text'
        ? { query: question }
        : {
            fileContent: {
              content: file ? await fileAsBase64(file) : '',
              ...(fileSections.length ? { fileSections } : {}),
            },
          };
    const created = await create
      .mutateAsync({
        name,
        inquiryContent,
        ...(mode === 'file' && humanReview ? { supportMode: 'FULL_SUPPORT' as const } : {}),
      })
      .catch(() => undefined);
    if (created) navigate(`/inquiries/${created.id}`);
  };

  return (
    <Page title="Compliance inquiries">
      <p className="lead">
        Ask a compliance question, or upload a questionnaire, and each question is answered from the published reports
        you may read, with citations. Answers are found in the report catalog, not written by AI; when no report
        addresses a question, the answer says so.
      </p>
      <form className="form" onSubmit={submit} aria-labelledby="ask-heading">
        <h2 id="ask-heading">Ask</h2>
        <TextField
          label="Title"
          value={name}
          required
          maxLength={256}
          onChange={(event) => setName(event.target.value)}
          errors={errorsFor(create.error, 'name')}
        />
        <fieldset className="field">
          <legend>What to ask</legend>
          <label className="checkbox">
            <input type="radio" name="mode" checked={mode === 'text'} onChange={() => setMode('text')} />
            One question
          </label>
          <label className="checkbox">
            <input type="radio" name="mode" checked={mode === 'file'} onChange={() => setMode('file')} />A questionnaire
            file (CSV or plain text)
          </label>
        </fieldset>
        {mode === 'text' ? (
          <div className="field">
            <label htmlFor="inquiry-question">Question</label>
            <textarea
              id="inquiry-question"
              value={question}
              required
              maxLength={2048}
              rows={3}
              onChange={(event) => setQuestion(event.target.value)}
            />
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor="inquiry-file">Questionnaire</label>
              <p className="field-hint" id="inquiry-file-hint">
                CSV with a header row (one question per row) or plain text (one question per line); up to 200 questions.
              </p>
              <input
                id="inquiry-file"
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                aria-describedby="inquiry-file-hint"
                required
                onChange={(event) => setFile(event.target.files?.[0])}
              />
            </div>
            <TextField
              label="Columns or sections (optional)"
              hint="CSV column headers, or # headings of a text file, separated by commas"
              value={sections}
              onChange={(event) => setSections(event.target.value)}
            />
            <label className="checkbox">
              <input type="checkbox" checked={humanReview} onChange={(event) => setHumanReview(event.target.checked)} />
              Ask for human review by the portal operator (answers come later)
            </label>
          </>
        )}
        {create.error ? <ProblemBanner error={create.error} /> : null}
        <button type="submit" className="button-primary" disabled={create.isPending}>
          {create.isPending ? 'Answering…' : 'Ask'}
        </button>
      </form>
      <h2>Inquiries</h2>
      <Await query={inquiries} what="inquiries">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>No inquiry yet.</Empty>
          ) : (
            <DataTable
              caption="Compliance inquiries, newest first"
              columns={['Title', 'Asked', 'By', 'Source', 'Questions', 'Status']}
              testId="inquiries-table"
            >
              {items.map((inquiry) => (
                <tr key={inquiry.id}>
                  <th scope="row">
                    <Link to={`/inquiries/${inquiry.id}`}>{inquiry.name}</Link>
                  </th>
                  <td>{formatDateTime(inquiry.createdAt)}</td>
                  <td>{inquiry.createdBy.email ?? inquiry.createdBy.userId}</td>
                  <td>{inquiry.inputSource === 'FILE' ? 'File' : 'Question'}</td>
                  <td>{inquiry.queryCount}</td>
                  <td>{inquiry.statusMessage}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
    </Page>
  );
}
