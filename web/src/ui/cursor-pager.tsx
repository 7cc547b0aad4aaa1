import { useSearchParams } from 'react-router';

/**
 * Pagination over the API's opaque `nextCursor`, kept in the URL: `cursor` is this page's, `back` the
 * cursors of the pages before it, so reload, back/forward and shared links keep the place.
 */
export function useCursor(): string | undefined {
  const [params] = useSearchParams();
  return params.get('cursor') ?? undefined;
}

export function CursorPager({ nextCursor, label }: { nextCursor: string | undefined; label: string }) {
  const [params, setParams] = useSearchParams();
  const current = params.get('cursor');
  const back = params.get('back')?.split(' ').filter(Boolean) ?? [];
  const page = current ? back.length + 2 : 1;
  const go = (cursor: string | undefined, trail: string[]) => {
    const next = new URLSearchParams(params);
    if (cursor) next.set('cursor', cursor);
    else next.delete('cursor');
    if (trail.length) next.set('back', trail.join(' '));
    else next.delete('back');
    setParams(next);
  };
  if (!current && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button
        type="button"
        className="button-secondary"
        disabled={!current}
        onClick={() => go(back[back.length - 1], back.slice(0, -1))}
      >
        Previous
      </button>
      <span className="pager-page" aria-live="polite">
        Page {page}
      </span>
      <button
        type="button"
        className="button-secondary"
        disabled={!nextCursor}
        onClick={() => go(nextCursor, current ? [...back, current] : [])}
      >
        Next
      </button>
    </nav>
  );
}
