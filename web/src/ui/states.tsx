import type { ReactNode } from 'react';
import { ApiProblem, humanMessage } from '../api/problem.js';
import { NotAllowed } from './not-allowed.js';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** An API refusal, in words. */
export function ProblemBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = humanMessage(error);
  const fieldErrors = error instanceof ApiProblem ? error.errors : [];
  return (
    <div className="problem" role="alert">
      <p className="problem-title">{message.title}</p>
      {message.detail && <p className="problem-detail">{message.detail}</p>}
      {fieldErrors.length > 0 && (
        <ul className="problem-fields">
          {fieldErrors.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              <code>{field.path}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What a page shows when its data could not be read: not allowed is its own clear page. */
export function LoadFailed({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  if (error instanceof ApiProblem && error.status === 403) return <NotAllowed detail={error.message} what={what} />;
  return (
    <section aria-label={`Could not load ${what}`}>
      <ProblemBanner error={error} {...(onRetry ? { onRetry } : {})} />
    </section>
  );
}

/** Loading, failed or ready: every data view says which. */
export function Await<T>({
  query,
  what,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error || query.data === undefined)
    return <LoadFailed error={query.error} what={what} onRetry={() => query.refetch()} />;
  return <>{children(query.data)}</>;
}
