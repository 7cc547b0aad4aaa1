import type { ReactNode } from 'react';
import { usePermissions } from '../api/permissions.js';
import type { PermissionQuestion } from '../api/types.js';
import { NotAllowed } from '../ui/not-allowed.js';
import { Loading } from '../ui/states.js';

/** A screen for people the server says may use it; others get a clear refusal page (the server's reason). */
export function RequirePermission({
  question,
  what,
  children,
}: {
  question: PermissionQuestion;
  what: string;
  children: ReactNode;
}) {
  const permissions = usePermissions([question]);
  if (permissions.isPending) return <Loading what="your access" />;
  if (permissions.allowed(0) !== true) {
    return <NotAllowed what={what} detail={permissions.answerOf(0)?.reason ?? `${question.action} is not allowed`} />;
  }
  return <>{children}</>;
}
