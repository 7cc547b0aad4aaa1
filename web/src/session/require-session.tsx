import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/session.js';
import { LoadFailed, Loading } from '../ui/states.js';

/** The place to come back to after signing in: path, query and hash of the deep link. */
export function returnPath(location: { pathname: string; search: string; hash: string }): string {
  return `${location.pathname}${location.search}${location.hash}`;
}

/** A signed-in area: signed-out visitors go to sign-in and come back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading what="your session" />;
  if (me.error) return <LoadFailed error={me.error} what="your session" onRetry={() => me.refetch()} />;
  if (!me.data) return <Navigate to={`/?next=${encodeURIComponent(returnPath(location))}`} replace />;
  if (me.data.user.mfaRequired && !me.data.user.mfaEnabled && location.pathname !== '/security') {
    return <Navigate to="/security?required=1" replace />;
  }
  return <>{children}</>;
}

/** Only same-site paths are followed after sign-in (never another origin). */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/reports';
  return next;
}
