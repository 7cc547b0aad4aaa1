import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { catalogQueryOf, useCatalogFacets, useReports } from '../../api/reports.js';
import { CursorPager } from '../../ui/cursor-pager.js';
import { Choices } from '../../ui/field.js';
import { formatDate } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Empty, LoadFailed, Loading } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { FreshnessFlags } from './freshness.js';

const filterNames = ['q', 'category', 'series', 'company', 'periodFrom', 'periodTo'] as const;

/** The catalog: search and filters live in the URL, so a filtered page can be shared, reloaded and gone back to. */
export function ReportsPage() {
  const [params, setParams] = useSearchParams();
  const query = catalogQueryOf(params);
  const reports = useReports(query);
  // The filter choices come after the table: the first paint waits for one catalog read, not two.
  const facets = useCatalogFacets(reports.isSuccess);
  const [q, setQ] = useState(query.q ?? '');
  useEffect(() => setQ(params.get('q') ?? ''), [params]);

  const setFilter = (name: (typeof filterNames)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('cursor');
    next.delete('back');
    setParams(next);
  };
  const search = (event: FormEvent) => {
    event.preventDefault();
    setFilter('q', q.trim());
  };
  const filtered = filterNames.some((name) => params.get(name));

  return (
    <Page title="Reports">
      <p className="lead">
        Third-party audit reports and certifications of the cloud you use. Accept a report’s terms to download a copy
        watermarked for you.
      </p>
      <form className="filters" aria-label="Find reports" onSubmit={search}>
        <div className="filter-search">
          <label htmlFor="report-search">Search</label>
          <input
            id="report-search"
            type="search"
            name="q"
            placeholder="Name, description or series"
            value={q}
            onChange={(event) => setQ(event.target.value)}
          />
          <button type="submit" className="button-primary">
            Search
          </button>
        </div>
        <div className="filter-row">
          <FacetSelect
            label="Category"
            value={params.get('category') ?? ''}
            options={facets.data?.categories ?? []}
            onChange={(value) => setFilter('category', value)}
          />
          <FacetSelect
            label="Series"
            value={params.get('series') ?? ''}
            options={facets.data?.series ?? []}
            onChange={(value) => setFilter('series', value)}
          />
          <FacetSelect
            label="Company"
            value={params.get('company') ?? ''}
            options={facets.data?.companies ?? []}
            onChange={(value) => setFilter('company', value)}
          />
          <div className="field">
            <label htmlFor="period-from">Period from</label>
            <input
              id="period-from"
              type="date"
              value={params.get('periodFrom') ?? ''}
              onChange={(event) => setFilter('periodFrom', event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="period-to">Period to</label>
            <input
              id="period-to"
              type="date"
              value={params.get('periodTo') ?? ''}
              onChange={(event) => setFilter('periodTo', event.target.value)}
            />
          </div>
          {filtered && (
            <button type="button" className="button-link" onClick={() => setParams(new URLSearchParams())}>
              Clear filters
            </button>
          )}
        </div>
      </form>
      {reports.isPending ? (
        <Loading what="reports" />
      ) : reports.error || !reports.data ? (
        <LoadFailed error={reports.error} what="the reports" onRetry={() => reports.refetch()} />
      ) : reports.data.items.length === 0 ? (
        <Empty>
          {filtered ? 'No report matches these filters.' : 'No reports are shared with your organization yet.'}
        </Empty>
      ) : (
        <>
          <DataTable
            caption="Reports you may read"
            columns={['Report', 'Category', 'Series', 'Company', 'Latest period', 'Freshness']}
            testId="reports-table"
            busy={reports.isFetching}
          >
            {reports.data.items.map((report) => (
              <tr key={report.id}>
                <th scope="row">
                  <Link to={`/reports/${report.id}`}>{report.name}</Link>
                  {report.thirdParty && <span className="badge">Third party</span>}
                </th>
                <td>{report.category}</td>
                <td>{report.series}</td>
                <td>{report.company}</td>
                <td>
                  {report.latest
                    ? `${formatDate(report.latest.periodStart)} – ${formatDate(report.latest.periodEnd)}`
                    : '—'}
                </td>
                <td>
                  <FreshnessFlags report={report} />
                </td>
              </tr>
            ))}
          </DataTable>
          <CursorPager nextCursor={reports.data.nextCursor} label="Reports" />
        </>
      )}
    </Page>
  );
}

function FacetSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}) {
  const id = `filter-${label.toLowerCase()}`;
  const choices = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <Choices none="Any" options={choices.map((option) => ({ value: option, label: option }))} />
      </select>
    </div>
  );
}
