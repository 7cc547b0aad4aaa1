import type { ReactNode } from 'react';

/**
 * The console's one table shape: a caption for screen readers, a header row of column names and, where
 * rows carry buttons, a last column whose header only screen readers read (`actions`: "Actions", or the
 * name given). `busy` marks a table whose rows are being refetched. The rows are the children (`<tr>`
 * with a `<th scope="row">` first).
 */
export function DataTable({
  caption,
  columns,
  actions = false,
  testId,
  busy,
  children,
}: {
  caption: string;
  columns: string[];
  actions?: boolean | string;
  testId?: string;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <table className="table" data-testid={testId} aria-busy={busy}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">{actions === true ? 'Actions' : actions}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
